package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Publisher/Developer Portal node without the Key Manager role (issue 7: one role per process) accepts the Key
 * Manager's bearer tokens, verified against the published public keys in {@code keymanager.signing_key}, and still
 * refuses a token it cannot verify. It is started, as an operator would, with no master key: it needs none.
 */
class RoleSplitNodeTest extends LauncherTestBase {

    @Test
    void a_publisher_node_without_the_key_manager_verifies_its_tokens() throws Exception {
        String token = adminToken();
        try (ConfigurableApplicationContext node = LauncherTestBase.nodeBuilder().run(
                "--apim.roles=publisher,devportal", "--apim.db.url=" + DB_URL, "--apim.redis.url=" + REDIS_URL,
                "--apim.management.tls=false", "--apim.management.port=0", "--apim.keymanager.issuer=" + KM_ISSUER,
                "--apim.data-dir=" + Files.createTempDirectory("apim-publisher-node"))) {
            int port = ((WebServerApplicationContext) node).getWebServer().getPort();
            WebTestClient publisher = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                    .responseTimeout(Duration.ofSeconds(30)).build();

            publisher.get().uri(PUBLISHER + "/apis").headers(h -> h.setBearerAuth(token))
                    .exchange().expectStatus().isOk();
            publisher.get().uri("/api/am/devportal/v3/applications").headers(h -> h.setBearerAuth(token))
                    .exchange().expectStatus().isOk();
            // no Key Manager endpoints on this node
            publisher.get().uri("/oauth2/jwks").exchange().expectStatus().isNotFound();

            String[] parts = token.split("\\.");
            String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
            byte[] refused = publisher.get().uri(PUBLISHER + "/apis").headers(h -> h.setBearerAuth(tampered))
                    .exchange().expectStatus().isUnauthorized().expectBody().returnResult().getResponseBody();
            assertThat(refused).isNotNull();
            publisher.get().uri(PUBLISHER + "/apis").exchange().expectStatus().isUnauthorized();
        }
    }
}
