package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Further write rules over HTTP: optimistic locking on every write, immutable fields, revisions, deployments. */
class WriteRulesTest extends LauncherTestBase {

    private JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    private String newApi(String prefix) {
        String suffix = unique();
        return text(tree(createApi(apiBody(prefix + "-" + suffix, "/" + prefix.toLowerCase() + "-" + suffix,
                "1.0.0"))), "id");
    }

    @Test
    void staleIfMatchOnLifecycleChangeAndDelete() {
        String apiId = newApi("Stale");
        client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .header(HttpHeaders.IF_MATCH, "\"0\"")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(currentBody(apiId)))
                .exchange().expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"");

        refused(412, 412L, () -> client.post()
                .uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .header(HttpHeaders.IF_MATCH, "\"0\"").exchange());
        refused(412, 412L, () -> client.delete().uri(PUBLISHER + "/apis/{id}", apiId)
                .header(HttpHeaders.IF_MATCH, "\"0\"").exchange());
        // still there, still CREATED
        JsonNode api = tree(client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(api, "lifeCycleStatus")).isEqualTo("CREATED");

        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .header(HttpHeaders.IF_MATCH, "\"1\"")
                .exchange().expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"2\"");
        client.delete().uri(PUBLISHER + "/apis/{id}", apiId)
                .header(HttpHeaders.IF_MATCH, "\"2\"")
                .exchange().expectStatus().isOk();
    }

    @Test
    void malformedIfMatch() {
        String apiId = newApi("BadEtag");
        refused(400, 400L, () -> client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .header(HttpHeaders.IF_MATCH, "not-an-etag")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(currentBody(apiId)))
                .exchange());
    }

    @Test
    void nameContextAndVersionAreImmutable() {
        String apiId = newApi("Immutable");
        Map<String, Object> body = currentBody(apiId);
        body.put("context", body.get("context") + "-moved");
        refused(400, 900311L, () -> client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange());
        Map<String, Object> renamed = currentBody(apiId);
        renamed.put("name", renamed.get("name") + "x");
        refused(400, 900311L, () -> client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(renamed)).exchange());
    }

    @Test
    void publishedApiKeepsItsProductionEndpoint() {
        String apiId = newApi("KeepEndpoint");
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange().expectStatus().isOk();
        Map<String, Object> body = currentBody(apiId);
        body.remove("endpointConfig");
        refused(409, 900303L, () -> client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange());
    }

    @Test
    void revisionLimitAndDeploymentRules() {
        String apiId = newApi("Revisions");
        String first = null;
        for (int i = 1; i <= 5; i++) {
            JsonNode revision = tree(client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                    .exchange().expectStatus().isCreated().expectBody().returnResult());
            assertThat(text(revision, "displayName")).isEqualTo("Revision " + i);
            if (first == null) {
                first = text(revision, "id");
            }
        }
        refused(400, 900351L, () -> client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId).exchange());

        String revisionId = first;
        refused(400, 900504L, () -> client.post()
                .uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={rev}", apiId, revisionId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Nowhere\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                .exchange());
        refused(404, 900347L, () -> client.post()
                .uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={rev}", apiId, "no-such-revision")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Default\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                .exchange());

        client.post().uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={rev}", apiId, revisionId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Default\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                .exchange().expectStatus().isCreated();
        // a deployed revision cannot be deleted
        refused(400, 900348L, () -> client.delete()
                .uri(PUBLISHER + "/apis/{id}/revisions/{rev}", apiId, revisionId).exchange());

        // undeploy, then delete
        client.post().uri(PUBLISHER + "/apis/{id}/undeploy-revision?revisionId={rev}", apiId, revisionId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Default\"}]")
                .exchange().expectStatus().isCreated();
        JsonNode deployments = tree(client.get().uri(PUBLISHER + "/apis/{id}/deployments", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(deployments.get("count").asInt()).isZero();
        client.delete().uri(PUBLISHER + "/apis/{id}/revisions/{rev}", apiId, revisionId)
                .exchange().expectStatus().isOk();
        JsonNode revisions = tree(client.get().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(revisions.get("count").asInt()).isEqualTo(4);
        // numbering continues after a deletion
        JsonNode sixth = tree(client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                .exchange().expectStatus().isCreated().expectBody().returnResult());
        assertThat(text(sixth, "displayName")).isEqualTo("Revision 6");
    }

    @Test
    void importWithInlineDefinitionAndUpdateSwagger() {
        String suffix = unique();
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("inlineAPIDefinition", PublisherFlowTest.PETSTORE);
        parts.part("additionalProperties", json(Map.of("name", "Inline-" + suffix, "context", "/inline-" + suffix,
                "version", "1.0.0")));
        EntityExchangeResult<byte[]> created = client.post().uri(PUBLISHER + "/apis/import-openapi")
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
        JsonNode api = tree(created);
        String apiId = text(api, "id");
        assertThat(PublisherFlowTest.operations(api)).hasSize(4);
        // no endpointConfig given: the document's server becomes the production endpoint
        assertThat(api.at("/endpointConfig/production_endpoints/url").asString())
                .isEqualTo("https://petstore.example.com/v1");

        String smaller = """
                openapi: 3.0.1
                info: {title: Petstore, version: 1.0.0}
                paths:
                  /owners:
                    get:
                      responses: {'200': {description: ok}}
                """;
        MultipartBodyBuilder update = new MultipartBodyBuilder();
        update.part("apiDefinition", smaller);
        client.put().uri(PUBLISHER + "/apis/{id}/swagger", apiId)
                .header(HttpHeaders.IF_MATCH, etag(created))
                .body(BodyInserters.fromMultipartData(update.build()))
                .exchange().expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"");
        JsonNode read = tree(client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(PublisherFlowTest.operations(read)).containsExactly("GET /owners");
        JsonNode swagger = tree(client.get().uri(PUBLISHER + "/apis/{id}/swagger", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(swagger.get("paths").has("/owners")).isTrue();
        assertThat(swagger.get("paths").has("/pets")).isFalse();
    }

    @Test
    void multipartPartOverItsLimit() {
        String suffix = unique();
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", "openapi: 3.0.1\n#" + "x".repeat(6 * 1024 * 1024) + "\n");
        parts.part("additionalProperties", json(Map.of("name", "BigPart-" + suffix, "context", "/bigpart-" + suffix,
                "version", "1.0.0")));
        refused(413, 413L, () -> client.post().uri(PUBLISHER + "/apis/import-openapi")
                .body(BodyInserters.fromMultipartData(parts.build())).exchange());
    }

    /** The API as GET returns it, reduced to fields a PUT may send back. */
    private Map<String, Object> currentBody(String apiId) {
        JsonNode api = tree(client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        Map<String, Object> body = apiBody(text(api, "name"), text(api, "context"), text(api, "version"));
        body.put("description", text(api, "description"));
        return body;
    }
}
