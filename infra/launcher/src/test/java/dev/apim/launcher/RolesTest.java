package dev.apim.launcher;

import dev.apim.platform.config.ApimProperties;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Each role as its own node from the same application, all on one PostgreSQL and Redis (five Spring contexts in
 * this JVM, each with its own ports and data directory): the Key Manager issues tokens, a publisher-only node
 * creates and publishes an API, a Developer-Portal-only node lists it, the Traffic Manager serves the internal
 * data, and a gateway-only node follows the Traffic Manager and verifies tokens with the Key Manager's JWKS. A node
 * serves only its roles' endpoints. And the shared settings a split node needs are refused when missing.
 */
class RolesTest {

    static final String ADMIN_PASSWORD = "it-Admin-Secret-42";
    static final String INTERNAL_KEY = "it-internal-key-0123456789";
    static final String DB_URL = TestServices.freshDatabase("apim_cluster");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    @AfterAll
    static void stopAll() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    static ConfigurableApplicationContext start(String roles, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--apim.roles=" + roles, "--apim.db.url=" + DB_URL,
                "--apim.db.pool-size=4", "--apim.redis.url=" + TestServices.redisUri(), "--apim.management.tls=false",
                "--apim.management.port=0", "--apim.admin.password=" + ADMIN_PASSWORD,
                "--apim.management.basic-auth.enabled=true",
                "--apim.keymanager.issuer=https://km.apim.test:9443/oauth2/token",
                "--apim.keymanager.master-key=it-keymanager-master-key-0123456789",
                "--apim.gateway.http-port=0", "--apim.gateway.https-port=-1",
                "--apim.gateway.token-issuer=https://km.apim.test:9443/oauth2/token",
                "--apim.internal.key=" + INTERNAL_KEY,
                "--apim.broadcast.key=apim:broadcast:{" + DB_URL.hashCode() + "}",
                "--apim.data-dir=" + Files.createTempDirectory("apim-" + roles)));
        args.addAll(List.of(extra));
        SpringApplicationBuilder builder = OwnNettyResources.apply(new SpringApplicationBuilder(ApimApplication.class));
        ConfigurableApplicationContext node = builder.run(args.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    static String url(ConfigurableApplicationContext node) {
        return "http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    static WebTestClient client(ConfigurableApplicationContext node) {
        return WebTestClient.bindToServer().baseUrl(url(node)).responseTimeout(Duration.ofSeconds(30))
                .defaultHeaders(h -> h.setBasicAuth("admin", ADMIN_PASSWORD)).build();
    }

    @Test
    void each_role_runs_as_its_own_node_and_works_with_the_others() throws Exception {
        ConfigurableApplicationContext keyManager = start("keymanager");
        ConfigurableApplicationContext trafficManager = start("trafficmanager");
        ConfigurableApplicationContext publisher = start("publisher");
        ConfigurableApplicationContext devportal = start("devportal");
        ConfigurableApplicationContext gateway = start("gateway",
                "--apim.gateway.sync.internal-url=" + url(trafficManager),
                "--apim.gateway.jwks-url=" + url(keyManager) + "/oauth2/jwks");

        client(keyManager).get().uri("/oauth2/jwks").exchange().expectStatus().isOk();
        client(publisher).get().uri("/oauth2/jwks").exchange().expectStatus().isNotFound();

        String suffix = Long.toHexString(System.nanoTime());
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("name", "Roles" + suffix);
        api.put("context", "/roles-" + suffix);
        api.put("version", "1.0.0");
        api.put("policies", List.of("Unlimited"));
        api.put("endpointConfig", Map.of("endpoint_type", "http",
                "production_endpoints", Map.of("url", "https://backend.example.com/roles")));
        byte[] created = client(publisher).post().uri("/api/am/publisher/v4/apis").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON.writeValueAsString(api)).exchange().expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody();
        String apiId = JSON.readTree(new String(created, StandardCharsets.UTF_8)).get("id").asString();
        client(publisher).post().uri("/api/am/publisher/v4/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange().expectStatus().isOk();
        client(devportal).post().uri("/api/am/publisher/v4/apis").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON.writeValueAsString(api)).exchange().expectStatus().isNotFound();

        client(devportal).get().uri("/api/am/devportal/v3/apis/{id}", apiId).exchange().expectStatus().isOk();

        JsonNode snapshot = JSON.readTree(new String(client(trafficManager).get()
                .uri("/internal/data/v1/snapshot?environment=Default").header("X-APIM-Internal-Key", INTERNAL_KEY)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8));
        assertThat(snapshot.get("index").asLong()).isPositive();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode health = JSON.readTree(new String(client(gateway).get().uri("/actuator/health").exchange()
                    .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8));
            assertThat(health.at("/components/gatewayState/status").asString()).isEqualTo("UP");
        });
    }

    @Test
    void a_split_node_without_the_shared_settings_is_refused() {
        MockEnvironment env = new MockEnvironment();
        ApimProperties trafficManager = properties("trafficmanager", DB_URL, "redis://127.0.0.1:6379");
        assertThat(ClusterSettingsCheck.missing(trafficManager, env)).singleElement().asString()
                .contains("apim.internal.key");
        assertThatThrownBy(() -> new ClusterSettingsCheck(trafficManager, env))
                .hasMessageContaining("apim.internal.key");
        ApimProperties keyManager = properties("keymanager", null, null);
        assertThat(ClusterSettingsCheck.missing(keyManager, env)).hasSize(3);
        env.setProperty("apim.keymanager.master-key", "x".repeat(32));
        assertThat(ClusterSettingsCheck.missing(properties("keymanager", DB_URL, "redis://h:6379"), env)).isEmpty();
        // an all-in-one node keeps its generated defaults
        new ClusterSettingsCheck(properties("all", null, null), new MockEnvironment());
    }

    private static ApimProperties properties(String roles, String db, String redis) {
        return new ApimProperties(Path.of("./data"), roles,
                new ApimProperties.Db(db, null, null, 4, null, null, null),
                new ApimProperties.Redis(redis, "standalone", List.of(), null, null, null, 0, null, null),
                new ApimProperties.Consistency(true, Duration.ofSeconds(5), true, Duration.ofMillis(25)));
    }
}
