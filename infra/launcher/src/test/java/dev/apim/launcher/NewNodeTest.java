package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node started afresh on the same PostgreSQL (a restart, or a new node behind the load balancer) holds no
 * state of its own: everything written through the first node — APIs, lifecycle, applications,
 * subscriptions, policies, users — is served by it, and it keeps accepting writes.
 */
class NewNodeTest extends LauncherTestBase {

    @Test
    void a_fresh_node_on_the_same_database_serves_what_was_written_before() throws Exception {
        String suffix = unique();
        Map<String, Object> body = apiBody("Node" + suffix, "/node-" + suffix, "1.0.0");
        body.put("policies", List.of("Gold"));
        String apiId = text(tree(createApi(body)), "id");
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange().expectStatus().isOk();
        String applicationId = text(tree(client.post().uri("/api/am/devportal/v3/applications")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "NodeApp " + suffix, "throttlingPolicy", "Unlimited")))
                .exchange().expectStatus().isCreated().expectBody().returnResult()), "applicationId");
        String subscriptionId = text(tree(client.post().uri("/api/am/devportal/v3/subscriptions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("apiId", apiId, "applicationId", applicationId, "throttlingPolicy", "Gold")))
                .exchange().expectStatus().isCreated().expectBody().returnResult()), "subscriptionId");

        // Command-line arguments, as an operator would start the node: they outrank application.yml.
        try (ConfigurableApplicationContext second = LauncherTestBase.nodeBuilder().run(
                "--apim.db.url=" + DB_URL, "--apim.redis.url=" + REDIS_URL, "--apim.management.tls=false",
                "--apim.management.port=0", "--apim.admin.password=" + ADMIN_PASSWORD,
                "--apim.keymanager.issuer=" + KM_ISSUER, "--apim.gateway.http-port=0", "--apim.gateway.https-port=-1",
                "--apim.gateway.token-issuer=" + KM_ISSUER, "--apim.keymanager.master-key=" + KM_MASTER_KEY,
                "--apim.data-dir=" + Files.createTempDirectory("apim-node2"))) {
            int port = ((WebServerApplicationContext) second).getWebServer().getPort();
            WebTestClient node2 = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                    .responseTimeout(Duration.ofSeconds(30))
                    .defaultHeaders(h -> h.setBearerAuth(adminToken())).build();

            JsonNode api = tree(node2.get().uri(PUBLISHER + "/apis/{id}", apiId).exchange()
                    .expectStatus().isOk().expectBody().returnResult());
            assertThat(text(api, "lifeCycleStatus")).isEqualTo("PUBLISHED");
            JsonNode history = tree(node2.get().uri(PUBLISHER + "/apis/{id}/lifecycle-history", apiId).exchange()
                    .expectStatus().isOk().expectBody().returnResult());
            assertThat(history.get("count").asInt()).isEqualTo(1);
            JsonNode subscription = tree(node2.get().uri("/api/am/devportal/v3/subscriptions/{id}", subscriptionId)
                    .exchange().expectStatus().isOk().expectBody().returnResult());
            assertThat(text(subscription, "status")).isEqualTo("UNBLOCKED");
            JsonNode policies = tree(node2.get().uri("/api/am/admin/v4/throttling/policies/subscription").exchange()
                    .expectStatus().isOk().expectBody().returnResult());
            assertThat(policies.get("list").findValuesAsString("policyName")).contains("Gold", "Silver", "Bronze");

            // The second node writes too, and the first node reads what it wrote.
            node2.post().uri(PUBLISHER + "/subscriptions/block-subscription?subscriptionId={id}&blockState=BLOCKED",
                    subscriptionId).exchange().expectStatus().isOk();
        }
        JsonNode after = tree(client.get().uri("/api/am/devportal/v3/subscriptions/{id}", subscriptionId).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(text(after, "status")).isEqualTo("BLOCKED");
    }
}
