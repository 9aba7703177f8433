package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow end to end: import an OpenAPI 3 document, create a revision, deploy it, publish, and
 * read everything back.
 */
class PublisherFlowTest extends LauncherTestBase {

    static final String PETSTORE = """
            openapi: 3.0.1
            info:
              title: Petstore
              description: A sample pet store
              version: 1.0.0
            servers:
              - url: https://petstore.example.com/v1
            paths:
              /pets:
                get:
                  summary: List pets
                  responses:
                    '200':
                      description: ok
                post:
                  summary: Add a pet
                  responses:
                    '201':
                      description: created
              /pets/{petId}:
                get:
                  parameters:
                    - name: petId
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '200':
                      description: ok
                delete:
                  parameters:
                    - name: petId
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '200':
                      description: ok
            """;

    static MultipartBodyBuilder importParts(String document, Map<String, Object> additionalProperties) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new ByteArrayResource(document.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "petstore.yaml";
            }
        }).contentType(MediaType.parseMediaType("application/x-yaml"));
        if (additionalProperties != null) {
            parts.part("additionalProperties", json(additionalProperties)).contentType(MediaType.APPLICATION_JSON);
        }
        return parts;
    }

    @Test
    void importReviseDeployPublishAndReadBack() {
        String suffix = unique();
        String name = "Petstore-" + suffix;
        String context = "/petstore-" + suffix;
        Map<String, Object> additional = Map.of(
                "name", name,
                "context", context,
                "version", "1.0.0",
                "policies", List.of("Unlimited"),
                "endpointConfig", Map.of("endpoint_type", "http",
                        "production_endpoints", Map.of("url", "https://petstore.example.com/v1")));

        // 1. import
        EntityExchangeResult<byte[]> imported = client.post().uri(PUBLISHER + "/apis/import-openapi")
                .body(BodyInserters.fromMultipartData(importParts(PETSTORE, additional).build()))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().exists("X-Event-Index")
                .expectBody().returnResult();
        assertThat(etag(imported)).isEqualTo("\"0\"");
        JsonNode api = tree(imported);
        String apiId = text(api, "id");
        assertThat(apiId).isNotBlank();
        assertThat(text(api, "name")).isEqualTo(name);
        assertThat(text(api, "context")).isEqualTo(context);
        assertThat(text(api, "version")).isEqualTo("1.0.0");
        assertThat(text(api, "lifeCycleStatus")).isEqualTo("CREATED");
        assertThat(operations(api)).containsExactlyInAnyOrder(
                "GET /pets", "POST /pets", "GET /pets/{petId}", "DELETE /pets/{petId}");

        // 2. revision
        JsonNode revision = tree(client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"description\":\"first\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult());
        assertThat(text(revision, "displayName")).isEqualTo("Revision 1");
        String revisionId = text(revision, "id");
        assertThat(revisionId).isNotBlank();

        // 3. deploy
        JsonNode deployed = tree(client.post()
                .uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={rev}", apiId, revisionId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Default\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult());
        assertThat(deployed.isArray()).isTrue();
        assertThat(text(deployed.get(0), "name")).isEqualTo("Default");
        assertThat(text(deployed.get(0), "revisionUuid")).isEqualTo(revisionId);

        // 4. publish
        JsonNode lifecycle = tree(client.post()
                .uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult());
        assertThat(lifecycle.at("/lifecycleState/state").asString()).isEqualTo("Published");

        // 5. read back: the API
        EntityExchangeResult<byte[]> read = client.get().uri(PUBLISHER + "/apis/{id}", apiId)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
        JsonNode readApi = tree(read);
        assertThat(text(readApi, "lifeCycleStatus")).isEqualTo("PUBLISHED");
        assertThat(text(readApi, "context")).isEqualTo(context);
        assertThat(operations(readApi)).hasSize(4);
        // created (0), revision (1), deployed (2), published (3)
        assertThat(etag(read)).isEqualTo("\"3\"");

        // lifecycle history: CREATED -> PUBLISHED by admin
        JsonNode history = tree(client.get().uri(PUBLISHER + "/apis/{id}/lifecycle-history", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        boolean found = false;
        for (JsonNode item : history.get("list")) {
            if ("CREATED".equals(text(item, "previousState")) && "PUBLISHED".equals(text(item, "postState"))) {
                assertThat(text(item, "user")).isEqualTo(ADMIN);
                assertThat(text(item, "updatedTime")).isNotBlank();
                found = true;
            }
        }
        assertThat(found).as("CREATED->PUBLISHED in %s", history).isTrue();
        assertThat(history.get("count").asInt()).isEqualTo(history.get("list").size());

        // deployments
        JsonNode deployments = tree(client.get().uri(PUBLISHER + "/apis/{id}/deployments", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(deployments.get("count").asInt()).isEqualTo(1);
        JsonNode deployment = deployments.get("list").get(0);
        assertThat(text(deployment, "name")).isEqualTo("Default");
        assertThat(text(deployment, "vhost")).isEqualTo("localhost");
        assertThat(text(deployment, "revisionUuid")).isEqualTo(revisionId);
        assertThat(deployment.get("displayOnDevportal").asBoolean()).isTrue();

        // revisions, with the deployment
        JsonNode revisions = tree(client.get().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(revisions.get("count").asInt()).isEqualTo(1);
        JsonNode rev = revisions.get("list").get(0);
        assertThat(text(rev, "id")).isEqualTo(revisionId);
        assertThat(text(rev, "displayName")).isEqualTo("Revision 1");
        assertThat(text(rev, "description")).isEqualTo("first");
        assertThat(rev.get("deploymentInfo").size()).isEqualTo(1);
        assertThat(text(rev.get("deploymentInfo").get(0), "name")).isEqualTo("Default");

        JsonNode deployedOnly = tree(client.get().uri(PUBLISHER + "/apis/{id}/revisions?query=deployed:true", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(deployedOnly.get("count").asInt()).isEqualTo(1);

        // the OpenAPI document with the imported paths
        JsonNode swagger = tree(client.get().uri(PUBLISHER + "/apis/{id}/swagger", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(swagger.has("openapi")).as("openapi in %s", swagger).isTrue();
        assertThat(swagger.get("paths").has("/pets")).isTrue();
        assertThat(swagger.get("paths").has("/pets/{petId}")).isTrue();
        assertThat(swagger.at("/paths/~1pets/get").isMissingNode()).isFalse();
        assertThat(swagger.at("/paths/~1pets~1{petId}/delete").isMissingNode()).isFalse();

        // and it is listed
        JsonNode list = tree(client.get().uri(PUBLISHER + "/apis?query={q}", name)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(1);
        assertThat(text(list.get("list").get(0), "lifeCycleStatus")).isEqualTo("PUBLISHED");
    }

    @Test
    void importWithoutAdditionalPropertiesNeedsAContext() {
        // the document has no context; WSO2 requires one
        long before = eventCount();
        byte[] body = client.post().uri(PUBLISHER + "/apis/import-openapi")
                .body(BodyInserters.fromMultipartData(importParts(PETSTORE, null).build()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(body, null);
        assertThat(eventCount()).isEqualTo(before);
    }

    static List<String> operations(JsonNode api) {
        List<String> ops = new ArrayList<>();
        for (JsonNode op : api.get("operations")) {
            ops.add(text(op, "verb") + " " + text(op, "target"));
        }
        return ops;
    }
}
