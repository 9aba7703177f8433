package dev.apim.launcher;

import dev.apim.gateway.state.BroadcastFollower;
import dev.apim.gateway.state.GatewayState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebuilding projections from the log: after a random workload, a rebuilt {@code apimgtdb} / {@code shareddb}
 * holds exactly the rows of the live one (table dumps compared), while the live one served throughout; the
 * broadcast stream rebuilt is followed again by the gateway; and dropping both read-model schemas and running
 * {@code replay} restores identical tables and REST answers.
 */
class ProjectionRebuildTest extends LauncherTestBase {

    static final String PROJECTIONS = "/api/am/admin/v4/projections";
    static final String DEVPORTAL = ApplicationsTest.DEVPORTAL;

    @Autowired
    GatewayState gateway;
    @Autowired
    BroadcastFollower follower;

    // ---- workload ----

    /** APIs with revisions, deployments and lifecycle moves, applications, keys, subscriptions, policies, deny
     *  policies, users; random counts and choices from {@code seed}. */
    void randomWorkload(long seed) {
        Random random = new Random(seed);
        String s = unique();
        String tier = "RbTier" + s;
        String tierId = policy("subscription", ThrottlePolicyAdminTest.subscriptionBody(tier, 40 + random.nextInt(50)));
        policy("application", ThrottlePolicyAdminTest.applicationBody("RbApp" + s, 30 + random.nextInt(30)));
        if (random.nextBoolean()) {
            policy("advanced", ThrottlePolicyAdminTest.advancedBody("RbAdv" + s, 1000));
        }
        List<String> apis = new ArrayList<>();
        int apiCount = 2 + random.nextInt(2);
        for (int i = 0; i < apiCount; i++) {
            Map<String, Object> body = apiBody("Rb" + s + i, "/rb-" + s + i, i == 0 ? "1.0.0" : "1.0." + random.nextInt(3));
            body.put("policies", List.of("Unlimited", tier));
            String apiId = text(tree(createApi(body)), "id");
            apis.add(apiId);
            if (random.nextInt(4) > 0) {
                String revision = text(tree(client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"description\":\"r1\"}").exchange()
                        .expectStatus().isCreated().expectBody().returnResult()), "id");
                client.post().uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={rev}", apiId, revision)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("[{\"name\":\"Default\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                        .exchange().expectStatus().isCreated();
            }
            lifecycle(apiId, "Publish");
        }
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < 3 + random.nextInt(3); i++) {
            String appId = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody("RbApp " + s + i))),
                    "applicationId");
            apps.add(appId);
            if (random.nextBoolean()) {
                ApplicationKeysTest.generated(client, appId, "PRODUCTION");
            }
            int subscriptions = Math.min(1 + random.nextInt(3), apis.size()); // one per API and application
            for (int j = 0; j < subscriptions; j++) {
                String apiId = apis.get((i + j) % apis.size());
                String subscription = text(tree(client.post().uri(DEVPORTAL + "/subscriptions")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(json(Map.of("apiId", apiId, "applicationId", appId,
                                "throttlingPolicy", random.nextBoolean() ? tier : "Unlimited")))
                        .exchange().expectStatus().isCreated().expectBody().returnResult()), "subscriptionId");
                if (random.nextInt(4) == 0) {
                    client.post().uri(PUBLISHER + "/subscriptions/block-subscription?subscriptionId={id}"
                            + "&blockState=BLOCKED", subscription).exchange().expectStatus()
                            .value(status -> assertThat(status).as("blocked, or not yet active").isIn(200, 409));
                }
            }
            if (random.nextInt(3) == 0) {
                client.put().uri(DEVPORTAL + "/applications/{id}", appId).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(json(ApplicationsTest.appBody("RbApp " + s + i + " renamed"))).exchange()
                        .expectStatus().isOk();
            }
        }
        client.put().uri(ThrottlePolicyAdminTest.POLICIES + "/subscription/{id}", tierId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(ThrottlePolicyAdminTest.subscriptionBody(tier, 99))).exchange().expectStatus().isOk();
        String deny = denyPolicy("USER", "mallory" + s);
        denyPolicy("API", "/rb-" + s + "0/1.0.0");
        if (random.nextBoolean()) {
            client.patch().uri(DenyPoliciesTest.ADMIN_API + "/throttling/deny-policy/{id}", deny)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"conditionStatus\":false}")
                    .exchange().expectStatus().isOk();
        }
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            anonymous.post().uri("/api/identity/user/v1.0/me").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(json(ApplicationsTest.signUpBody("rb-" + s + i, "Passw0rd-long"))).exchange()
                    .expectStatus().isCreated();
        }
        lifecycle(apis.get(apis.size() - 1), "Deprecate");
        if (random.nextBoolean()) {
            lifecycle(apis.get(apis.size() - 1), "Retire");
        }
        if (random.nextBoolean()) {
            client.delete().uri(DEVPORTAL + "/applications/{id}", apps.get(apps.size() - 1)).exchange()
                    .expectStatus().isOk();
        }
    }

    void lifecycle(String apiId, String action) {
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action={a}", apiId, action).exchange()
                .expectStatus().isOk();
    }

    String policy(String level, Map<String, Object> body) {
        return text(tree(client.post().uri(ThrottlePolicyAdminTest.POLICIES + "/" + level)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange()
                .expectStatus().isCreated().expectBody().returnResult()), "policyId");
    }

    String denyPolicy(String type, Object value) {
        return text(tree(client.post().uri(DenyPoliciesTest.ADMIN_API + "/throttling/deny-policies")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("conditionType", type, "conditionValue", value, "conditionStatus", true)))
                .exchange().expectStatus().isCreated().expectBody().returnResult()), "conditionId");
    }

    /** Waits until process managers have stopped writing (application deletion cascades after it answered). */
    static void quiet() {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = eventCount();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
    }

    // ---- dumps ----

    /** Every row of every table of the schema (but Flyway's history), as text, sorted; keyed by table. */
    static Map<String, List<String>> dump(String schema) throws Exception {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                    + schema + "' AND table_name <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String table : names) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT t::text FROM " + schema + "." + table + " t ORDER BY 1")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                tables.put(table, rows);
            }
        }
        return tables;
    }

    static Map<String, Map<String, List<String>>> dumps() throws Exception {
        Map<String, Map<String, List<String>>> all = new LinkedHashMap<>();
        all.put("apimgtdb", dump("apimgtdb"));
        all.put("shareddb", dump("shareddb"));
        return all;
    }

    /**
     * Rebuilds both read models first: in the shared test database earlier tests may have discarded dead letters,
     * whose events a replay applies (the log's truth), so only a model rebuilt once is comparable to a replay.
     */
    static void rebuildBoth(WebTestClient as) {
        for (String name : List.of("apimgtdb", "shareddb")) {
            as.post().uri(PROJECTIONS + "/{n}/rebuild", name).exchange().expectStatus().isAccepted();
            assertThat(text(awaitFinished(as, name), "state")).isEqualTo("COMPLETED");
        }
    }

    JsonNode awaitFinished(String name) {
        return awaitFinished(client, name);
    }

    static JsonNode awaitFinished(WebTestClient client, String name) {
        JsonNode[] status = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            status[0] = tree(client.get().uri(PROJECTIONS + "/{n}", name).exchange().expectStatus().isOk()
                    .expectBody().returnResult());
            String state = text(status[0], "state");
            return !state.equals("RUNNING") && !state.equals("SWITCHING");
        });
        return status[0];
    }

    // ---- tests ----

    @Test
    void aReadModelRebuiltWhileTheLiveOneServesIsIdenticalToIt() throws Exception {
        rebuildBoth(client);
        long seed = System.nanoTime();
        randomWorkload(seed);
        quiet();
        var before = dumps();
        assertThat(before.get("apimgtdb").get("api")).isNotEmpty();

        for (String name : List.of("apimgtdb", "shareddb")) {
            JsonNode started = tree(client.post().uri(PROJECTIONS + "/{n}/rebuild", name).exchange()
                    .expectStatus().isAccepted().expectBody().returnResult());
            assertThat(text(started, "name")).isEqualTo(name);
            // the live read model answers while the rebuild runs
            client.get().uri(PUBLISHER + "/apis").exchange().expectStatus().isOk();
            JsonNode done = awaitFinished(name);
            assertThat(text(done, "state")).as(done.toString()).isEqualTo("COMPLETED");
            assertThat(done.get("eventsDone").asLong()).isEqualTo(done.get("eventsTotal").asLong())
                    .isGreaterThan(0);
            assertThat(done.get("finishedAt").isNull()).isFalse();
        }
        assertThat(dumps()).as("rebuilt vs live, seed " + seed).isEqualTo(before);
        assertThat(queryLong("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'apimgtdb%' OR nspname LIKE "
                + "'shareddb%'")).as("no shadow or old schema left").isEqualTo(2);

        // the rebuilt model takes live writes
        String appId = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody("RbAfter " + unique()))),
                "applicationId");
        client.get().uri(DEVPORTAL + "/applications/{id}", appId).exchange().expectStatus().isOk();

        JsonNode list = tree(client.get().uri(PROJECTIONS).exchange().expectStatus().isOk().expectBody()
                .returnResult());
        assertThat(list.get("list").findValuesAsString("name")).containsExactly("apimgtdb", "shareddb", "broadcast");
        String metrics = new String(anonymous.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(metrics).contains("apim_projection_rebuild_events_done{projection=\"apimgtdb\"}")
                .contains("apim_projection_rebuild_completed_total{outcome=\"completed\",projection=\"shareddb\"}");
    }

    @Test
    void theBroadcastStreamRebuiltIsFollowedAgainByTheGateway() throws Exception {
        assertThat(follower.awaitBootstrap(Duration.ofSeconds(30))).isTrue();
        client.post().uri(PROJECTIONS + "/broadcast/rebuild").exchange().expectStatus().isAccepted();
        assertThat(text(awaitFinished("broadcast"), "state")).isEqualTo("COMPLETED");
        String appId = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody("RbBc " + unique()))),
                "applicationId");
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.application(appId).isPresent());
        assertThat(follower.isFollowing()).isTrue();
    }

    @Test
    void badRequestsAreRefused() throws Exception {
        assertWso2Error(client.post().uri(PROJECTIONS + "/nope/rebuild").exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody(), 404L);
        assertWso2Error(client.get().uri(PROJECTIONS + "/nope").exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody(), 404L);
        assertWso2Error(client.delete().uri(PROJECTIONS + "/shareddb/rebuild").exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody(), 404L);
        // another node (here: this connection) holds the projection's rebuild lock
        try (Connection c = connect(); Statement st = c.createStatement()) {
            long key = 0x6170696d_00000000L + 1; // shareddb's, see ProjectionRebuilds.lockKey
            try (ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + key + ")")) {
                assertThat(rs.next() && rs.getBoolean(1)).as("rebuild lock free").isTrue();
            }
            assertWso2Error(client.post().uri(PROJECTIONS + "/shareddb/rebuild").exchange()
                    .expectStatus().isEqualTo(409).expectBody().returnResult().getResponseBody(), 409L);
        }
        String user = "rb-dev-" + unique();
        anonymous.post().uri("/api/identity/user/v1.0/me").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(ApplicationsTest.signUpBody(user, "Passw0rd-long"))).exchange()
                .expectStatus().isCreated();
        as(user, "Passw0rd-long").get().uri(PROJECTIONS).exchange().expectStatus().isForbidden();
    }

    @Test
    void aCancelledRebuildLeavesTheLiveModelAndNoShadow() throws Exception {
        awaitFinished("apimgtdb");
        createApi(apiBody("RbCancel" + unique(), "/rb-cancel-" + unique(), "1.0.0"));
        quiet();
        var before = dumps();
        client.post().uri(PROJECTIONS + "/apimgtdb/rebuild").exchange().expectStatus().isAccepted();
        var cancel = client.delete().uri(PROJECTIONS + "/apimgtdb/rebuild").exchange().expectBody().returnResult();
        JsonNode end = awaitFinished("apimgtdb");
        if (cancel.getStatus().value() == 200) {
            assertThat(text(end, "state")).isEqualTo("CANCELLED");
        }
        assertThat(queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'apimgtdb_rebuild'")).isZero();
        assertThat(queryLong("SELECT count(*) FROM event_store.token_entry WHERE processor_name = 'apimgtdb_rebuild'"))
                .isZero();
        assertThat(dumps()).isEqualTo(before);
    }

    @Test
    void droppingTheReadModelsAndReplayingFromTheCommandLineRestoresIdenticalAnswers() throws Exception {
        rebuildBoth(client);
        String s = unique();
        String apiId = text(tree(createApi(apiBody("RbDrop" + s, "/rb-drop-" + s, "1.0.0"))), "id");
        lifecycle(apiId, "Publish");
        String appId = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody("RbDrop " + s))),
                "applicationId");
        client.post().uri(DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("apiId", apiId, "applicationId", appId, "throttlingPolicy", "Unlimited")))
                .exchange().expectStatus().isCreated();
        quiet();
        var before = dumps();
        String apis = answer(client, PUBLISHER + "/apis?limit=100");
        String apps = answer(client, DEVPORTAL + "/applications?limit=100");
        String policies = answer(client, "/api/am/admin/v4/throttling/policies/subscription");

        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA apimgtdb CASCADE");
            st.execute("DROP SCHEMA shareddb CASCADE");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReplayCommand.run(new String[] {"--projection", "apimgtdb", "--projection", "shareddb",
                "--apim.db.url=" + DB_URL, "--apim.redis.url=" + REDIS_URL, "--apim.data-dir=" + DATA_DIR,
                "--apim.keymanager.master-key=" + KM_MASTER_KEY, "--apim.keymanager.issuer=" + KM_ISSUER,
                "--apim.db.pool-size=8"},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("\rapimgtdb  [").contains("100%").containsPattern(
                "apimgtdb: \\d+ events in [0-9.]+ s \\(\\d+ events/s\\)").contains("shareddb: ");

        assertThat(dumps()).isEqualTo(before);
        assertThat(answer(client, PUBLISHER + "/apis?limit=100")).isEqualTo(apis);
        assertThat(answer(client, DEVPORTAL + "/applications?limit=100")).isEqualTo(apps);
        assertThat(answer(client, "/api/am/admin/v4/throttling/policies/subscription")).isEqualTo(policies);
    }

    @Test
    void theReplayCommandRefusesBadArguments() {
        StringWriter err = new StringWriter();
        assertThat(ReplayCommand.run(new String[] {"--projection", "nope"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err))).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown projection 'nope'").contains("Usage: replay");
        assertThat(ReplayCommand.run(new String[] {}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))).isEqualTo(2);
        assertThat(ReplayCommand.run(new String[] {"--projection", "apimgtdb", "--bogus"},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isEqualTo(2);
        StringWriter help = new StringWriter();
        assertThat(ReplayCommand.run(new String[] {"--help"}, new PrintWriter(help), new PrintWriter(err)))
                .isZero();
        assertThat(help.toString()).contains("--projection=NAME");
    }

    static String answer(WebTestClient as, String uri) {
        return new String(as.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult()
                .getResponseBody());
    }
}
