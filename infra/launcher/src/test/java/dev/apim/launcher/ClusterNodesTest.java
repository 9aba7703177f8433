package dev.apim.launcher;

import dev.apim.testsupport.TestServices;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several nodes on one PostgreSQL and Redis (two Spring contexts in this JVM, each its own node id): the read-model
 * processors are split into two segments that the nodes share; writes through either node are projected and
 * answered once visible; a node that stops hands its segments over at once, one that dies (stops without releasing
 * its claims) loses them after the claim timeout, and the read model catches up. And commands racing on one
 * aggregate through both nodes: every acknowledged one is stored exactly once, the sequence has no gap.
 */
class ClusterNodesTest {

    static final String PUBLISHER = "/api/am/publisher/v4";
    static final String ADMIN_PASSWORD = "it-Admin-Secret-42";
    static final String DB_URL = TestServices.freshDatabase("apim_cluster");
    static final String REDIS_URL = TestServices.redisUri();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(3);

    static ConfigurableApplicationContext nodeA;
    static WebTestClient clientA;

    @BeforeAll
    static void startFirstNode() throws Exception {
        nodeA = start("node-a", null);
        clientA = client(nodeA);
    }

    @AfterAll
    static void stopFirstNode() {
        if (nodeA != null) {
            nodeA.close();
        }
    }

    /** Starts a node; with {@code dead} set, its token store stops releasing claims (a crash on close). */
    static ConfigurableApplicationContext start(String nodeId, AtomicBoolean dead) throws Exception {
        SpringApplicationBuilder builder = OwnNettyResources.apply(new SpringApplicationBuilder(ApimApplication.class));
        if (dead != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof TokenStore store ? crashable(store, dead) : bean;
                }
            }));
        }
        return builder.run("--apim.db.url=" + DB_URL, "--apim.redis.url=" + REDIS_URL,
                "--apim.management.tls=false", "--apim.management.port=0", "--apim.admin.password=" + ADMIN_PASSWORD,
                "--apim.management.basic-auth.enabled=true",
                "--apim.keymanager.issuer=https://km.apim.test:9443/oauth2/token",
                "--apim.keymanager.master-key=it-keymanager-master-key-0123456789",
                "--apim.gateway.http-port=0", "--apim.gateway.https-port=-1",
                "--apim.gateway.token-issuer=https://km.apim.test:9443/oauth2/token",
                "--apim.internal.key=it-internal-key-0123456789",
                "--apim.broadcast.key=apim:broadcast:{" + DB_URL.hashCode() + "}",
                "--apim.processing.segments=2", "--apim.processing.claim-timeout=" + CLAIM_TIMEOUT.toMillis() + "ms",
                "--apim.processing.claim-interval=300ms", "--apim.processing.node-id=" + nodeId,
                "--apim.data-dir=" + Files.createTempDirectory("apim-" + nodeId));
    }

    static TokenStore crashable(TokenStore store, AtomicBoolean dead) {
        return (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(), new Class<?>[] {TokenStore.class},
                (proxy, method, args) -> {
                    if (dead.get() && (method.getName().equals("releaseClaim")
                            || method.getName().equals("storeToken") || method.getName().equals("extendClaim"))) {
                        return null;
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static WebTestClient client(ConfigurableApplicationContext node) {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeaders(h -> h.setBasicAuth("admin", ADMIN_PASSWORD)).build();
    }

    @Test
    void nodes_share_segments_and_take_over_those_of_a_node_that_stops_or_dies() throws Exception {
        ConfigurableApplicationContext nodeB = start("node-b", null);
        WebTestClient clientB = client(nodeB);
        try {
            awaitOwners("apimgtdb", Map.of("node-a", 1L, "node-b", 1L), Duration.ofSeconds(20));
            awaitOwners("shareddb", Map.of("node-a", 1L, "node-b", 1L), Duration.ofSeconds(20));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // read-your-writes across nodes: created on one, readable at once on the other
                WebTestClient writer = i % 2 == 0 ? clientA : clientB;
                WebTestClient reader = i % 2 == 0 ? clientB : clientA;
                String id = createApi(writer, "Seg" + i);
                ids.add(id);
                reader.get().uri(PUBLISHER + "/apis/{id}", id).exchange().expectStatus().isOk();
            }
            // the internal data stamp (lowest over the segments) covers the last write, whichever node projected it
            long lastIndex = lastEventIndex();
            // (gaps left by rolled-back appends, e.g. lost races, hold it back for at most the gap grace, 10 s)
            for (WebTestClient tm : List.of(clientA, clientB)) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    byte[] snapshot = tm.get()
                            .uri("/internal/data/v1/snapshot?environment=Default&minIndex={i}", lastIndex)
                            .header("X-APIM-Internal-Key", "it-internal-key-0123456789").exchange()
                            .expectStatus().isOk().expectBody().returnResult().getResponseBody();
                    assertThat(JSON.readTree(new String(snapshot, StandardCharsets.UTF_8)).get("index").asLong())
                            .isGreaterThanOrEqualTo(lastIndex);
                });
            }
        } finally {
            nodeB.close();
        }
        // a clean stop releases at once: node A holds both segments within a few claim intervals
        awaitOwners("apimgtdb", Map.of("node-a", 2L), Duration.ofSeconds(5));

        AtomicBoolean dead = new AtomicBoolean();
        ConfigurableApplicationContext nodeC = start("node-c", dead);
        List<String> ids = new ArrayList<>();
        long died;
        java.util.concurrent.CompletableFuture<Duration> takenOver;
        try {
            awaitOwners("apimgtdb", Map.of("node-a", 1L, "node-c", 1L), Duration.ofSeconds(20));
        } finally {
            // node C "dies": from now on its token store neither extends, stores nor releases its claims (it may
            // still apply events, as a crashing node may, whose tokens are then lost: A re-applies them)
            died = System.nanoTime();
            dead.set(true);
            takenOver = watchTakeover(died);
            for (int i = 0; i < 3; i++) {
                ids.add(createApi(clientA, "Dying" + i));
            }
            nodeC.close();
        }
        for (int i = 0; i < 3; i++) {
            ids.add(createApi(clientA, "Dead" + i));
        }
        Duration takeover = takenOver.get(30, java.util.concurrent.TimeUnit.SECONDS);
        // not before the claim timeout (less the longest a claim goes unextended), and within the documented bound
        assertThat(takeover).isGreaterThanOrEqualTo(CLAIM_TIMEOUT.minusSeconds(1))
                .isLessThan(CLAIM_TIMEOUT.plusSeconds(5));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String id : ids) {
                clientA.get().uri(PUBLISHER + "/apis/{id}", id).exchange().expectStatus().isOk();
            }
        });
    }

    @Test
    void concurrent_updates_of_one_aggregate_through_two_nodes_are_each_stored_once() throws Exception {
        ConfigurableApplicationContext nodeB = start("node-d", null);
        try {
            WebTestClient clientB = client(nodeB);
            String suffix = Long.toHexString(System.nanoTime());
            Map<String, Object> body = apiBody("Race" + suffix, "/race-" + suffix);
            String apiId = create(clientA, body);
            int updates = 40;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < updates; i++) {
                String description = "update-" + i;
                WebTestClient client = i % 2 == 0 ? clientA : clientB;
                futures.add(pool.submit(() -> {
                    Map<String, Object> update = new LinkedHashMap<>(body);
                    update.put("description", description);
                    int status = client.put().uri(PUBLISHER + "/apis/{id}", apiId)
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsString(update))
                            .exchange().returnResult(byte[].class).getStatus().value();
                    statuses.put(description, status);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            List<String> acknowledged = statuses.entrySet().stream().filter(e -> e.getValue() == 200)
                    .map(Map.Entry::getKey).toList();
            assertThat(statuses.values()).as("statuses").allMatch(s -> s == 200 || s == 409 || s == 503);
            assertThat(acknowledged).isNotEmpty();

            Map<String, Integer> stored = new HashMap<>();
            List<Long> sequence = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(DB_URL);
                 var st = c.prepareStatement("SELECT sequence_number, payload_type, payload::jsonb->'definition'->>'description' "
                         + "FROM event_store.domain_event_entry WHERE aggregate_identifier = ? "
                         + "ORDER BY sequence_number")) {
                st.setString(1, apiId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        sequence.add(rs.getLong(1));
                        String description = rs.getString(3);
                        if (rs.getString(2).endsWith("ApiUpdated") && description != null) {
                            stored.merge(description, 1, Integer::sum);
                        }
                    }
                }
            }
            for (int i = 0; i < sequence.size(); i++) {
                assertThat(sequence.get(i)).as("gap-free sequence").isEqualTo(i);
            }
            for (String description : acknowledged) {
                assertThat(stored.get(description)).as("stored once: %s", description).isEqualTo(1);
            }
            assertThat(stored.keySet()).as("nothing unacknowledged stored").isSubsetOf(acknowledged);
        } finally {
            nodeB.close();
        }
    }

    static Map<String, Object> apiBody(String name, String context) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "Created by " + name);
        body.put("context", context);
        body.put("version", "1.0.0");
        body.put("policies", List.of("Unlimited"));
        body.put("endpointConfig", Map.of("endpoint_type", "http",
                "production_endpoints", Map.of("url", "https://backend.example.com/" + name)));
        return body;
    }

    static String createApi(WebTestClient client, String prefix) {
        String suffix = Long.toHexString(System.nanoTime());
        return create(client, apiBody(prefix + suffix, "/c-" + prefix.toLowerCase() + suffix));
    }

    static String create(WebTestClient client, Map<String, Object> api) {
        byte[] body = client.post().uri(PUBLISHER + "/apis").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON.writeValueAsString(api))
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody();
        return JSON.readTree(new String(body, StandardCharsets.UTF_8)).get("id").asString();
    }

    static long lastEventIndex() throws Exception {
        try (Connection c = DriverManager.getConnection(DB_URL);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT max(global_index) FROM event_store.domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Completes with the time from {@code since} until node A holds every segment (polled every 50 ms). */
    static java.util.concurrent.CompletableFuture<Duration> watchTakeover(long since) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            long deadline = since + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (owners("apimgtdb").equals(Map.of("node-a", 2L))) {
                        return Duration.ofNanos(System.nanoTime() - since);
                    }
                    Thread.sleep(50);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("node A did not take the dead node's segment over");
        });
    }

    /** Segments per owner of a processor's claims. */
    static Map<String, Long> owners(String processor) throws Exception {
        Map<String, Long> owners = new HashMap<>();
        try (Connection c = DriverManager.getConnection(DB_URL);
             var st = c.prepareStatement("SELECT owner FROM event_store.token_entry WHERE processor_name = ?")) {
            st.setString(1, processor);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    owners.merge(String.valueOf(rs.getString(1)), 1L, Long::sum);
                }
            }
        }
        return owners;
    }

    static void awaitOwners(String processor, Map<String, Long> expected, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(owners(processor)).isEqualTo(expected));
    }
}
