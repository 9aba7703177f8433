package dev.apim.launcher;

import dev.apim.testsupport.LocalPostgresReplica;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Query endpoints on a real streaming replica ({@code apim.db.read-url}; primary and hot standby started from the
 * machine's PostgreSQL binaries, skipped only when they are not installed): the R2DBC readers are on the standby,
 * a write answers once the replica shows it (read-your-writes waits on the replica's own token_entry), and while
 * the replica's replay is paused a write cannot see itself there: it answers after the consistency timeout and the
 * read model on the replica catches up once replay resumes.
 */
class ReadReplicaTest {

    static final String PUBLISHER = "/api/am/publisher/v4";
    static final String ADMIN_PASSWORD = "it-Admin-Secret-42";
    static final String DATABASE = "apim_cluster_replica";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static LocalPostgresReplica postgres;
    static ConfigurableApplicationContext node;
    static WebTestClient client;

    @BeforeAll
    static void start() throws Exception {
        if (!LocalPostgresReplica.available()) {
            return;
        }
        postgres = LocalPostgresReplica.start();
        try (Connection c = DriverManager.getConnection(postgres.primaryUrl("postgres"))) {
            c.createStatement().execute("CREATE DATABASE " + DATABASE);
        }
        node = LauncherTestBase.nodeBuilder().run(
                "--apim.db.url=" + postgres.primaryUrl(DATABASE), "--apim.db.read-url=" + postgres.replicaUrl(DATABASE),
                "--apim.db.pool-size=4", "--apim.redis.url=" + TestServices.redisUri(),
                "--apim.management.tls=false", "--apim.management.port=0", "--apim.admin.password=" + ADMIN_PASSWORD,
                "--apim.management.basic-auth.enabled=true", "--apim.consistency.timeout=3s",
                "--apim.keymanager.issuer=https://km.apim.test:9443/oauth2/token",
                "--apim.keymanager.master-key=it-keymanager-master-key-0123456789",
                "--apim.gateway.http-port=0", "--apim.gateway.https-port=-1",
                "--apim.gateway.token-issuer=https://km.apim.test:9443/oauth2/token",
                "--apim.internal.key=it-internal-key-0123456789",
                "--apim.broadcast.key=apim:broadcast:{replica-" + System.nanoTime() + "}",
                "--apim.data-dir=" + Files.createTempDirectory("apim-replica"));
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeaders(h -> h.setBasicAuth("admin", ADMIN_PASSWORD)).build();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void queries_read_the_replica_and_a_write_answers_once_the_replica_shows_it() throws Exception {
        Assumptions.assumeTrue(postgres != null, "PostgreSQL binaries (initdb, pg_basebackup) are not installed");
        Boolean standby = node.getBean(DatabaseClient.class).sql("SELECT pg_is_in_recovery() AS r")
                .map(row -> row.get("r", Boolean.class)).one().block(Duration.ofSeconds(10));
        assertThat(standby).as("the readers are connected to the standby").isTrue();

        for (int i = 0; i < 5; i++) {
            String id = createApi("Replica" + i);
            client.get().uri(PUBLISHER + "/apis/{id}", id).exchange().expectStatus().isOk();
        }

        try (Connection replica = DriverManager.getConnection(postgres.replicaUrl(DATABASE))) {
            replica.createStatement().execute("SELECT pg_wal_replay_pause()");
            String id;
            long started = System.nanoTime();
            try {
                id = createApi("Paused");
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("the write waited for the replica until the consistency timeout")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
                client.get().uri(PUBLISHER + "/apis/{id}", id).exchange().expectStatus().isNotFound();
            } finally {
                replica.createStatement().execute("SELECT pg_wal_replay_resume()");
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    client.get().uri(PUBLISHER + "/apis/{id}", id).exchange().expectStatus().isOk());
        }
    }

    private static String createApi(String prefix) {
        String suffix = Long.toHexString(System.nanoTime());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", prefix + suffix);
        body.put("context", "/r-" + prefix.toLowerCase() + suffix);
        body.put("version", "1.0.0");
        body.put("policies", List.of("Unlimited"));
        body.put("endpointConfig", Map.of("endpoint_type", "http",
                "production_endpoints", Map.of("url", "https://backend.example.com/r")));
        byte[] created = client.post().uri(PUBLISHER + "/apis").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON.writeValueAsString(body)).exchange().expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(new String(created, StandardCharsets.UTF_8)).get("id").asString();
    }
}
