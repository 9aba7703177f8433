package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad request is a 4xx with WSO2's error body ({@code code}, {@code message}, {@code description})
 * and writes no event: the event store is counted directly before and after.
 */
class BadInputTest extends LauncherTestBase {

    /** Sends the request, asserts the status and WSO2 body, and that the event store did not grow. */
    private JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    private WebTestClient.ResponseSpec postApi(String rawJson) {
        return client.post().uri(PUBLISHER + "/apis")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(rawJson)
                .exchange();
    }

    @Test
    void malformedJson() {
        String suffix = unique();
        refused(400, 400L, () -> postApi("{\"name\": \"Broken-" + suffix + "\", \"context\": \"/broken-" + suffix));
        refused(400, 400L, () -> postApi("not json at all"));
    }

    @Test
    void fieldOfTheWrongType() {
        String suffix = unique();
        refused(400, 400L, () -> postApi(
                "{\"name\": 5, \"context\": \"/wrongtype-" + suffix + "\", \"version\": \"1.0.0\"}"));
        refused(400, 400L, () -> postApi("{\"name\": \"WrongType-" + suffix + "\", \"context\": \"/wrongtype-"
                + suffix + "\", \"version\": \"1.0.0\", \"policies\": \"Unlimited\"}"));
        refused(400, 400L, () -> postApi("{\"name\": \"WrongType-" + suffix + "\", \"context\": \"/wrongtype-"
                + suffix + "\", \"version\": \"1.0.0\", \"isDefaultVersion\": \"yes\"}"));
    }

    @Test
    void wrongTypeErrorNamesTheFieldWithoutInternals() {
        String suffix = unique();
        JsonNode error = refused(400, 400L, () -> postApi(
                "{\"name\": 5, \"context\": \"/wrongtype-" + suffix + "\", \"version\": \"1.0.0\"}"));
        assertThat(text(error, "description")).contains("name").doesNotContain("java.lang")
                .doesNotContain("CoercionConfig");
    }

    @Test
    void unknownField() {
        String suffix = unique();
        JsonNode error = refused(400, 400L, () -> postApi("{\"name\": \"Unknown-" + suffix + "\", \"context\": "
                + "\"/unknown-" + suffix + "\", \"version\": \"1.0.0\", \"colour\": \"blue\"}"));
        assertThat(text(error, "description")).contains("colour");
    }

    @Test
    void missingName() {
        String suffix = unique();
        Map<String, Object> body = apiBody("x", "/noname-" + suffix, "1.0.0");
        body.remove("name");
        JsonNode error = refused(400, 900400L, () -> postApi(json(body)));
        assertThat(text(error, "description")).contains("name");
    }

    @Test
    void contextWithoutLeadingSlash() {
        String suffix = unique();
        refused(400, 900346L, () -> postApi(json(apiBody("NoSlash-" + suffix, "noslash-" + suffix, "1.0.0"))));
    }

    @Test
    void unknownLifecycleAction() {
        String suffix = unique();
        String apiId = text(tree(createApi(apiBody("Action-" + suffix, "/action-" + suffix, "1.0.0"))), "id");
        refused(400, 900303L, () -> client.post()
                .uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Teleport", apiId)
                .exchange());
    }

    @Test
    void illegalLifecycleTransition() {
        String suffix = unique();
        String apiId = text(tree(createApi(apiBody("Retire-" + suffix, "/retire-" + suffix, "1.0.0"))), "id");
        refused(409, 900303L, () -> client.post()
                .uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Retire", apiId)
                .exchange());
        JsonNode api = tree(client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(api, "lifeCycleStatus")).isEqualTo("CREATED");
    }

    @Test
    void publishWithoutEndpointIsRefused() {
        String suffix = unique();
        Map<String, Object> body = apiBody("NoEndpoint-" + suffix, "/noendpoint-" + suffix, "1.0.0");
        body.remove("endpointConfig");
        String apiId = text(tree(createApi(body)), "id");
        refused(409, 900303L, () -> client.post()
                .uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange());
    }

    @Test
    void duplicateContextAndVersion() {
        String suffix = unique();
        String context = "/dup-" + suffix;
        createApi(apiBody("Dup-" + suffix, context, "1.0.0"));
        refused(409, 900251L, () -> postApi(json(apiBody("Dup2-" + suffix, context, "1.0.0"))));
        // another version of the same context is fine
        createApi(apiBody("Dup3-" + suffix, context, "2.0.0"));
    }

    @Test
    void unknownApiId() {
        String missing = UUID.randomUUID().toString();
        refused(404, 900308L, () -> client.get().uri(PUBLISHER + "/apis/{id}", missing).exchange());
        refused(404, 900308L, () -> client.get().uri(PUBLISHER + "/apis/{id}/swagger", missing).exchange());
        refused(404, 900308L, () -> client.post()
                .uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", missing).exchange());
        refused(404, 900308L, () -> client.put().uri(PUBLISHER + "/apis/{id}", missing)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Missing", "/missing-" + unique(), "1.0.0")))
                .exchange());
        refused(404, 900308L, () -> client.delete().uri(PUBLISHER + "/apis/{id}", missing).exchange());
        refused(404, 900308L, () -> client.post().uri(PUBLISHER + "/apis/{id}/revisions", missing).exchange());
    }

    @Test
    void openApiDocumentThatDoesNotParse() {
        String suffix = unique();
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", "openapi: 3.0.1\ninfo: [this is: not {valid yaml\n  paths: :::\n");
        parts.part("additionalProperties", json(Map.of("name", "Unparsable-" + suffix,
                "context", "/unparsable-" + suffix, "version", "1.0.0")));
        refused(400, null, () -> client.post().uri(PUBLISHER + "/apis/import-openapi")
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange());

        MultipartBodyBuilder notOpenApi = new MultipartBodyBuilder();
        notOpenApi.part("file", "just some text, not an API description");
        notOpenApi.part("additionalProperties", json(Map.of("name", "NotOpenApi-" + suffix,
                "context", "/notopenapi-" + suffix, "version", "1.0.0")));
        refused(400, null, () -> client.post().uri(PUBLISHER + "/apis/import-openapi")
                .body(BodyInserters.fromMultipartData(notOpenApi.build()))
                .exchange());
    }

    @Test
    void bodyOverTheSizeLimit() {
        String suffix = unique();
        Map<String, Object> body = apiBody("Huge-" + suffix, "/huge-" + suffix, "1.0.0");
        body.put("description", "x".repeat(11 * 1024 * 1024));
        String huge = json(body);
        refused(413, 413L, () -> postApi(huge));
    }

    @Test
    void invalidLimitQueryParameter() {
        refused(400, 400L, () -> client.get().uri(PUBLISHER + "/apis?limit=abc").exchange());
        refused(400, 400L, () -> client.get().uri(PUBLISHER + "/apis?limit=0").exchange());
        refused(400, 400L, () -> client.get().uri(PUBLISHER + "/apis?limit=100000").exchange());
        refused(400, 400L, () -> client.get().uri(PUBLISHER + "/apis?offset=-1").exchange());
    }

    @Test
    void missingCredentials() {
        String suffix = unique();
        refused(401, 900902L, () -> anonymous.post().uri(PUBLISHER + "/apis")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Anon-" + suffix, "/anon-" + suffix, "1.0.0")))
                .exchange());
        refused(401, 900902L, () -> anonymous.get().uri(PUBLISHER + "/apis").exchange());
    }

    @Test
    void badCredentials() {
        String suffix = unique();
        // HTTP Basic is off on the management APIs unless opted in: even the right password is not accepted.
        refused(401, 900902L, () -> anonymous.post().uri(PUBLISHER + "/apis")
                .headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Basic-" + suffix, "/basic-" + suffix, "1.0.0")))
                .exchange());
        refused(401, 900901L, () -> anonymous.get().uri(PUBLISHER + "/apis")
                .headers(h -> h.setBearerAuth("not-a-token-" + suffix))
                .exchange());
        // the answer names the scheme
        anonymous.get().uri(PUBLISHER + "/apis")
                .headers(h -> h.setBearerAuth("x.y.z"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches("WWW-Authenticate", "Bearer.*");
    }
}
