package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** API documents: inline with content, URL, list, delete. */
class DocumentsTest extends LauncherTestBase {

    @Test
    void inlineAndUrlDocuments() {
        String suffix = unique();
        String apiId = text(tree(createApi(apiBody("Docs-" + suffix, "/docs-" + suffix, "1.0.0"))), "id");
        String docs = PUBLISHER + "/apis/" + apiId + "/documents";

        // INLINE document
        JsonNode inline = tree(client.post().uri(docs)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "Getting started", "type", "HOWTO", "summary", "How to call it",
                        "sourceType", "INLINE", "visibility", "API_LEVEL")))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().exists(HttpHeaders.LOCATION)
                .expectBody().returnResult());
        String inlineId = text(inline, "documentId");
        assertThat(inlineId).isNotBlank();
        assertThat(text(inline, "name")).isEqualTo("Getting started");
        assertThat(text(inline, "sourceType")).isEqualTo("INLINE");

        // no content yet
        byte[] noContent = client.get().uri(docs + "/{doc}/content", inlineId)
                .exchange().expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        assertWso2Error(noContent, 900314L);

        // add content (multipart part 'inlineContent')
        String content = "# Getting started\n\nCall `GET /pets` with a token. Ünïcödé ✓\n";
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("inlineContent", content);
        JsonNode added = tree(client.post().uri(docs + "/{doc}/content", inlineId)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult());
        assertThat(text(added, "documentId")).isEqualTo(inlineId);

        String readBack = client.get().uri(docs + "/{doc}/content", inlineId)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(readBack).isEqualTo(content);

        // URL document
        JsonNode url = tree(client.post().uri(docs)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "Reference", "type", "PUBLIC_FORUM", "sourceType", "URL",
                        "sourceUrl", "https://docs.example.com/" + suffix)))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult());
        String urlId = text(url, "documentId");
        assertThat(text(url, "sourceUrl")).isEqualTo("https://docs.example.com/" + suffix);

        JsonNode urlRead = tree(client.get().uri(docs + "/{doc}", urlId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(urlRead, "sourceType")).isEqualTo("URL");
        assertThat(text(urlRead, "sourceUrl")).isEqualTo("https://docs.example.com/" + suffix);
        assertThat(text(urlRead, "createdBy")).isEqualTo(ADMIN);

        client.get().uri(docs + "/{doc}/content", urlId)
                .exchange()
                .expectStatus().isEqualTo(303)
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "https://docs.example.com/" + suffix);

        // content cannot be added to a URL document
        long before = eventCount();
        MultipartBodyBuilder urlParts = new MultipartBodyBuilder();
        urlParts.part("inlineContent", "nope");
        byte[] refused = client.post().uri(docs + "/{doc}/content", urlId)
                .body(BodyInserters.fromMultipartData(urlParts.build()))
                .exchange().expectStatus().isBadRequest().expectBody().returnResult().getResponseBody();
        assertWso2Error(refused, 900319L);
        assertThat(eventCount()).isEqualTo(before);

        // list
        JsonNode list = tree(client.get().uri(docs).exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(2);
        assertThat(names(list)).containsExactlyInAnyOrder("Getting started", "Reference");

        // a second document with the same name is refused
        byte[] duplicate = client.post().uri(docs)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "getting STARTED", "type", "HOWTO", "sourceType", "INLINE")))
                .exchange().expectStatus().isEqualTo(409).expectBody().returnResult().getResponseBody();
        assertWso2Error(duplicate, 900312L);

        // delete
        client.delete().uri(docs + "/{doc}", inlineId).exchange().expectStatus().isOk();
        client.get().uri(docs + "/{doc}", inlineId).exchange().expectStatus().isNotFound();
        client.get().uri(docs + "/{doc}/content", inlineId).exchange().expectStatus().isNotFound();
        JsonNode afterDelete = tree(client.get().uri(docs).exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(afterDelete.get("count").asInt()).isEqualTo(1);
        assertThat(names(afterDelete)).containsExactly("Reference");

        byte[] deletedAgain = client.delete().uri(docs + "/{doc}", inlineId)
                .exchange().expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        assertWso2Error(deletedAgain, 900315L);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("list").forEach(n -> names.add(text(n, "name")));
        return names;
    }
}
