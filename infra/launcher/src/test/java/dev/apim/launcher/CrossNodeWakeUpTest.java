package dev.apim.launcher;

import dev.apim.eventstore.WakingEventStore;
import dev.apim.platform.db.ChangeSignals;
import org.axonframework.eventsourcing.eventstore.EventStore;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.apim.launcher.LauncherTestBase.PUBLISHER;
import static dev.apim.launcher.LauncherTestBase.apiBody;
import static dev.apim.launcher.LauncherTestBase.json;
import static dev.apim.launcher.LauncherTestBase.text;
import static dev.apim.launcher.LauncherTestBase.tree;
import static dev.apim.launcher.LauncherTestBase.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database, each with a fetch delay of a minute, so the only way node B's projections learn
 * of node A's events within the five-second read-your-writes wait is the LISTEN/NOTIFY wake-up. B starts first
 * and so owns the projections' segments; every write goes through A and must be readable, in order, on both
 * nodes as soon as A answers. (How fast is measured by bench/lag, not asserted here.)
 */
class CrossNodeWakeUpTest {

    private static final String PASSWORD = "it-Admin-Secret-42";

    @Test
    void events_written_on_one_node_reach_the_projections_another_node_runs_without_waiting_for_its_poll()
            throws Exception {
        String db = TestServices.freshDatabase("apim_wake");
        String redis = TestServices.redisUri();
        try (ConfigurableApplicationContext nodeB = start(db, redis, "b");
             ConfigurableApplicationContext nodeA = start(db, redis, "a")) {
            WebTestClient a = client(nodeA);
            WebTestClient b = client(nodeB);
            // the event store that a notification can wake (with the one-minute fetch delay of this test)
            assertThat(nodeB.getBean(EventStore.class)).isInstanceOf(WakingEventStore.class);
            ChangeSignals signalsB = nodeB.getBean(ChangeSignals.class);
            assertThat(signalsB.listening()).isTrue();
            long receivedBefore = signalsB.notificationsReceived();

            String suffix = unique();
            Map<String, Object> body = apiBody("Wake" + suffix, "/wake-" + suffix, "1.0.0");
            EntityExchangeResult<byte[]> created = a.post().uri(PUBLISHER + "/apis")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body))
                    .exchange().expectStatus().isCreated().expectBody().returnResult();
            String apiId = text(tree(created), "id");
            // Read-your-writes on A means B's projection already has it: B serves it at once.
            b.get().uri(PUBLISHER + "/apis/{id}", apiId).exchange().expectStatus().isOk();

            List<String> etags = new ArrayList<>();
            etags.add(created.getResponseHeaders().getFirst(HttpHeaders.ETAG));
            for (int i = 1; i <= 5; i++) {
                body.put("description", "revision " + i);
                EntityExchangeResult<byte[]> updated = a.put().uri(PUBLISHER + "/apis/{id}", apiId)
                        .header(HttpHeaders.IF_MATCH, etags.get(etags.size() - 1))
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body))
                        .exchange().expectStatus().isOk().expectBody().returnResult();
                etags.add(updated.getResponseHeaders().getFirst(HttpHeaders.ETAG));
                for (WebTestClient node : List.of(a, b)) {
                    JsonNode read = tree(node.get().uri(PUBLISHER + "/apis/{id}", apiId).exchange()
                            .expectStatus().isOk().expectBody().returnResult());
                    assertThat(text(read, "description")).isEqualTo("revision " + i);
                }
            }
            assertThat(etags).containsExactly("\"0\"", "\"1\"", "\"2\"", "\"3\"", "\"4\"", "\"5\"");
            assertThat(signalsB.notificationsReceived()).isGreaterThan(receivedBefore);
            assertThat(nodeB.getBean("changeSignalsHealth", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
            // Only B ran the projections: A never owned a segment of them.
            assertThat(LauncherTestBase.queryRowsIn(db, "SELECT DISTINCT owner FROM event_store.token_entry "
                    + "WHERE processor_name IN ('apimgtdb', 'shareddb')")).containsExactly("node-b");
        }
    }

    private static ConfigurableApplicationContext start(String db, String redis, String name) throws Exception {
        return LauncherTestBase.nodeBuilder().run(
                "--apim.db.url=" + db, "--apim.redis.url=" + redis, "--apim.management.tls=false",
                "--apim.management.port=0", "--apim.admin.password=" + PASSWORD,
                "--apim.management.basic-auth.enabled=true",
                "--apim.keymanager.issuer=" + LauncherTestBase.KM_ISSUER,
                "--apim.keymanager.master-key=" + LauncherTestBase.KM_MASTER_KEY,
                "--apim.gateway.http-port=0", "--apim.gateway.https-port=-1",
                "--apim.gateway.token-issuer=" + LauncherTestBase.KM_ISSUER,
                "--apim.broadcast.key=apim:broadcast:{" + db.hashCode() + "}",
                "--apim.consistency.fetch-delay=1m", "--apim.processing.node-id=node-" + name,
                "--apim.data-dir=" + Files.createTempDirectory("apim-wake-" + name));
    }

    private static WebTestClient client(ConfigurableApplicationContext node) {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeaders(h -> h.setBasicAuth("admin", PASSWORD)).build();
    }
}
