package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Create, list (read-your-writes, pagination), update with If-Match, delete and reuse of the context. */
class ApiCrudTest extends LauncherTestBase {

    @Test
    void createThenListImmediately() {
        String suffix = unique();
        String name = "ReadYourWrites-" + suffix;
        EntityExchangeResult<byte[]> created = createApi(apiBody(name, "/ryw-" + suffix, "1.0.0"));
        JsonNode api = tree(created);
        String apiId = text(api, "id");
        assertThat(created.getResponseHeaders().getLocation()).hasToString(PUBLISHER + "/apis/" + apiId);
        assertThat(etag(created)).isEqualTo("\"0\"");
        assertThat(created.getResponseHeaders().getFirst("X-Event-Index")).matches("\\d+");
        assertThat(text(api, "lifeCycleStatus")).isEqualTo("CREATED");
        assertThat(text(api, "provider")).isEqualTo(ADMIN);

        // no sleep, no retry: the write answered only once the read model had it
        JsonNode list = tree(client.get().uri(PUBLISHER + "/apis?query={q}", name)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(1);
        JsonNode info = list.get("list").get(0);
        assertThat(text(info, "id")).isEqualTo(apiId);
        assertThat(text(info, "name")).isEqualTo(name);
        assertThat(text(info, "context")).isEqualTo("/ryw-" + suffix);
        assertThat(text(info, "lifeCycleStatus")).isEqualTo("CREATED");

        EntityExchangeResult<byte[]> read = client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult();
        assertThat(etag(read)).isEqualTo("\"0\"");
        assertThat(text(tree(read), "description")).isEqualTo("Created by " + name);
    }

    @Test
    void paginationWithLimitAndOffset() {
        String token = "page" + unique();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(text(tree(createApi(apiBody(token + "-" + i, "/" + token + "-" + i, "1.0.0"))), "id"));
        }

        JsonNode first = tree(client.get().uri(PUBLISHER + "/apis?query={q}&limit=2&offset=0", token)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(first.get("count").asInt()).isEqualTo(2);
        assertThat(first.get("list").size()).isEqualTo(2);
        JsonNode p1 = first.get("pagination");
        assertThat(p1.get("total").asLong()).isEqualTo(3);
        assertThat(p1.get("offset").asInt()).isZero();
        assertThat(p1.get("limit").asInt()).isEqualTo(2);
        assertThat(text(p1, "next")).contains("limit=2").contains("offset=2").contains(token);
        assertThat(text(p1, "previous")).isEmpty();

        JsonNode second = tree(client.get().uri(PUBLISHER + "/apis?query={q}&limit=2&offset=2", token)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(second.get("count").asInt()).isEqualTo(1);
        JsonNode p2 = second.get("pagination");
        assertThat(p2.get("total").asLong()).isEqualTo(3);
        assertThat(p2.get("offset").asInt()).isEqualTo(2);
        assertThat(p2.get("limit").asInt()).isEqualTo(2);
        assertThat(text(p2, "next")).isEmpty();
        assertThat(text(p2, "previous")).contains("limit=2").contains("offset=0");

        List<String> seen = new ArrayList<>();
        first.get("list").forEach(n -> seen.add(text(n, "id")));
        second.get("list").forEach(n -> seen.add(text(n, "id")));
        assertThat(seen).as("the two pages together, without overlap").containsExactlyInAnyOrderElementsOf(ids);

        JsonNode beyond = tree(client.get().uri(PUBLISHER + "/apis?query={q}&limit=2&offset=10", token)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(beyond.get("count").asInt()).isZero();
        assertThat(beyond.get("pagination").get("total").asLong()).isEqualTo(3);

        JsonNode byField = tree(client.get().uri(PUBLISHER + "/apis?query=name:{n}", token + "-1")
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(byField.get("count").asInt()).isEqualTo(1);
        assertThat(text(byField.get("list").get(0), "id")).isEqualTo(ids.get(1));
    }

    @Test
    void updateWithIfMatchAndRefuseAStaleOne() {
        String suffix = unique();
        String name = "Update-" + suffix;
        Map<String, Object> body = apiBody(name, "/update-" + suffix, "1.0.0");
        EntityExchangeResult<byte[]> created = createApi(body);
        String apiId = text(tree(created), "id");
        String etag0 = etag(created);

        body.put("description", "second version");
        EntityExchangeResult<byte[]> updated = client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .header(HttpHeaders.IF_MATCH, etag0)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
        String etag1 = etag(updated);
        assertThat(etag1).isNotNull().isNotEqualTo(etag0).isEqualTo("\"1\"");
        assertThat(text(tree(updated), "description")).isEqualTo("second version");

        EntityExchangeResult<byte[]> afterUpdate = client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult();
        assertThat(etag(afterUpdate)).isEqualTo(etag1);
        assertThat(text(tree(afterUpdate), "description")).isEqualTo("second version");

        // the same, now stale, ETag again
        long before = eventCount();
        body.put("description", "lost update");
        byte[] error = client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .header(HttpHeaders.IF_MATCH, etag0)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body))
                .exchange()
                .expectStatus().isEqualTo(412)
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(error, 412L);
        assertThat(eventCount()).isEqualTo(before);

        EntityExchangeResult<byte[]> unchanged = client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult();
        assertThat(etag(unchanged)).isEqualTo(etag1);
        assertThat(text(tree(unchanged), "description")).isEqualTo("second version");
    }

    @Test
    void deleteThenGoneAndContextReusable() {
        String suffix = unique();
        String context = "/delete-" + suffix;
        String apiId = text(tree(createApi(apiBody("Delete-" + suffix, context, "1.0.0"))), "id");

        client.delete().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange()
                .expectStatus().isOk();

        byte[] notFound = client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(notFound, 900308L);

        JsonNode listed = tree(client.get().uri(PUBLISHER + "/apis?query=context:{c}", context)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(listed.get("count").asInt()).isZero();

        // deleting again is a 404 too
        byte[] again = client.delete().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(again, 900308L);

        // the context + version is free again
        String reusedId = text(tree(createApi(apiBody("Reuse-" + suffix, context, "1.0.0"))), "id");
        assertThat(reusedId).isNotEqualTo(apiId);
        JsonNode reused = tree(client.get().uri(PUBLISHER + "/apis/{id}", reusedId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(reused, "context")).isEqualTo(context);
        assertThat(text(reused, "name")).isEqualTo("Reuse-" + suffix);
    }

    @Test
    void writeResponsesCarryTheStoredTimestamps() {
        String suffix = unique();
        Map<String, Object> body = apiBody("Timestamps-" + suffix, "/timestamps-" + suffix, "1.0.0");
        JsonNode created = tree(createApi(body));
        String apiId = text(created, "id");
        JsonNode stored = tree(client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(created, "createdTime")).isEqualTo(text(stored, "createdTime"));

        body.put("description", "changed");
        JsonNode updated = tree(client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body))
                .exchange().expectStatus().isOk().expectBody().returnResult());
        JsonNode storedAfter = tree(client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(updated, "createdTime")).isEqualTo(text(storedAfter, "createdTime")).isNotNull();
        assertThat(text(updated, "lastUpdatedTime")).isEqualTo(text(storedAfter, "lastUpdatedTime"));
    }
}
