package dev.apim.launcher;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Developer Portal v3 discovery: only visible APIs are listed, found by search, and readable. */
class DevportalDiscoveryTest extends LauncherTestBase {

    static final String DEVPORTAL = "/api/am/devportal/v3";

    @Autowired
    CommandGateway commandGateway;

    private void publish(String apiId) {
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange().expectStatus().isOk();
    }

    private static List<String> ids(WebTestClient as, String query) {
        JsonNode list = tree(as.get().uri(uri -> uri.path(DEVPORTAL + "/apis").queryParam("query", "{q}")
                        .queryParam("limit", 100).build(query))
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(list.get("list").size());
        assertThat(list.has("pagination")).isTrue();
        return list.get("list").valueStream().map(n -> text(n, "id")).toList();
    }

    private static void invisible(WebTestClient as, String apiId) {
        byte[] body = as.get().uri(DEVPORTAL + "/apis/{id}", apiId).exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(body, 900308L);
        as.get().uri(DEVPORTAL + "/apis/{id}/swagger", apiId).exchange().expectStatus().isNotFound();
        as.get().uri(DEVPORTAL + "/apis/{id}/documents", apiId).exchange().expectStatus().isNotFound();
    }

    @Test
    void onlyPublishedApisAreDiscoverableBySearch() {
        String suffix = unique();
        String name = "Discover" + suffix;
        Map<String, Object> body = apiBody(name, "/discover-" + suffix, "1.0.0");
        body.put("description", "Orders marzipan" + suffix + " from the bakery");
        body.put("tags", List.of("tag" + suffix, "food"));
        String apiId = text(tree(createApi(body)), "id");

        assertThat(ids(client, "name:" + name)).isEmpty();
        invisible(client, apiId);

        publish(apiId);
        assertThat(ids(client, "name:" + name)).containsExactly(apiId);
        assertThat(ids(client, "tag:TAG" + suffix)).containsExactly(apiId);
        assertThat(ids(client, "description:marzipan" + suffix)).containsExactly(apiId);
        assertThat(ids(client, "context:/discover-" + suffix)).containsExactly(apiId);
        assertThat(ids(client, "marzipan" + suffix)).containsExactly(apiId);
        assertThat(ids(client, "discover" + suffix.substring(0, 5))).contains(apiId);
        assertThat(ids(client, "tag" + suffix)).containsExactly(apiId);
        assertThat(ids(client, "nothing" + suffix)).isEmpty();

        JsonNode api = tree(client.get().uri(DEVPORTAL + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(api, "name")).isEqualTo(name);
        assertThat(text(api, "lifeCycleStatus")).isEqualTo("PUBLISHED");
        assertThat(text(api, "context")).isEqualTo("/discover-" + suffix);
        assertThat(api.get("tags").valueStream().map(JsonNode::asString).toList()).contains("tag" + suffix);
        assertThat(text(api.get("tiers").get(0), "tierName")).isEqualTo("Unlimited");

        String swagger = new String(client.get().uri(DEVPORTAL + "/apis/{id}/swagger", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(swagger).contains("openapi");

        client.get().uri(DEVPORTAL + "/apis?query=unknown:x").exchange().expectStatus().isBadRequest();
        client.get().uri(DEVPORTAL + "/apis?limit=0").exchange().expectStatus().isBadRequest();
        client.get().uri(DEVPORTAL + "/apis/{id}", "x".repeat(300)).exchange().expectStatus().isNotFound();
    }

    @Test
    void documentsFollowTheirVisibility() {
        String suffix = unique();
        String apiId = text(tree(createApi(apiBody("DocPortal" + suffix, "/docportal-" + suffix, "1.0.0"))), "id");
        String docs = PUBLISHER + "/apis/" + apiId + "/documents";
        String shown = text(tree(client.post().uri(docs).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "Guide", "type", "HOWTO", "sourceType", "INLINE",
                        "visibility", "API_LEVEL")))
                .exchange().expectStatus().isCreated().expectBody().returnResult()), "documentId");
        String hidden = text(tree(client.post().uri(docs).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "Internal", "type", "HOWTO", "sourceType", "INLINE",
                        "visibility", "PRIVATE")))
                .exchange().expectStatus().isCreated().expectBody().returnResult()), "documentId");
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("inlineContent", "# Guide " + suffix);
        client.post().uri(docs + "/{doc}/content", shown).body(BodyInserters.fromMultipartData(parts.build()))
                .exchange().expectStatus().isCreated();
        publish(apiId);

        JsonNode list = tree(client.get().uri(DEVPORTAL + "/apis/{id}/documents", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("list").valueStream().map(n -> text(n, "documentId")).toList()).containsExactly(shown);
        client.get().uri(DEVPORTAL + "/apis/{id}/documents/{doc}", apiId, shown).exchange().expectStatus().isOk();
        String content = new String(client.get().uri(DEVPORTAL + "/apis/{id}/documents/{doc}/content", apiId, shown)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(content).isEqualTo("# Guide " + suffix);
        byte[] error = client.get().uri(DEVPORTAL + "/apis/{id}/documents/{doc}", apiId, hidden)
                .exchange().expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        assertWso2Error(error, 900315L);
        client.get().uri(DEVPORTAL + "/apis/{id}/documents/{doc}/content", apiId, hidden)
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void restrictedApisAreSeenOnlyWithAVisibleRole() {
        String suffix = unique();
        String name = "Restricted" + suffix;
        Map<String, Object> body = apiBody(name, "/restricted-" + suffix, "1.0.0");
        body.put("visibility", "RESTRICTED");
        body.put("visibleRoles", List.of("creator"));
        String apiId = text(tree(createApi(body)), "id");
        publish(apiId);

        String outsider = TestUsers.register(commandGateway, "outsider-" + suffix, "subscriber");
        String insider = TestUsers.register(commandGateway, "insider-" + suffix, "subscriber", "creator");
        WebTestClient outsiderClient = as(outsider, TestUsers.PASSWORD);
        WebTestClient insiderClient = as(insider, TestUsers.PASSWORD);

        assertThat(ids(outsiderClient, "name:" + name)).isEmpty();
        invisible(outsiderClient, apiId);

        assertThat(ids(insiderClient, "name:" + name)).containsExactly(apiId);
        insiderClient.get().uri(DEVPORTAL + "/apis/{id}", apiId).exchange().expectStatus().isOk();

        anonymous.get().uri(DEVPORTAL + "/apis").exchange().expectStatus().isUnauthorized();
    }
}
