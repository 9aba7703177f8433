package dev.apim.launcher;

import dev.apim.gateway.server.GatewayServer;
import dev.apim.platform.broadcast.InternalKey;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.netty.DisposableServer;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * New nodes become correct from the log and the stream alone (docs/operations.md, "Starting a new node"): a query
 * node started on a database whose read models (schemas and processor tokens) are gone rebuilds them from the event
 * log and answers as the old ones did; a gateway-only node with no state joins the running system and serves a call
 * through a real backend, and stops accepting a token once it is revoked.
 */
class FreshNodeTest extends LauncherTestBase {

    private static DisposableServer backend;

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    InternalKey internalKey;

    @BeforeAll
    static void startBackend() {
        backend = echoBackend("fresh");
    }

    @AfterAll
    static void stopBackend() {
        backend.disposeNow();
    }

    List<String> nodeArguments(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--apim.db.url=" + DB_URL, "--apim.redis.url=" + REDIS_URL,
                "--apim.management.tls=false", "--apim.management.port=0", "--apim.admin.password=" + ADMIN_PASSWORD,
                "--apim.keymanager.issuer=" + KM_ISSUER, "--apim.gateway.http-port=0",
                "--apim.gateway.https-port=-1", "--apim.gateway.token-issuer=" + KM_ISSUER,
                "--apim.keymanager.master-key=" + KM_MASTER_KEY, "--apim.db.pool-size=8",
                "--apim.broadcast.key=apim:broadcast:{" + DB_URL.hashCode() + "-" + DATA_DIR.getFileName() + "}",
                "--apim.data-dir=" + Files.createTempDirectory("apim-fresh")));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void aQueryNodeOnADatabaseWithoutReadModelsRebuildsThemFromTheLog() throws Exception {
        String s = unique();
        String apiId = text(tree(createApi(apiBody("Fresh" + s, "/fresh-" + s, "1.0.0"))), "id");
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId).exchange()
                .expectStatus().isOk();
        String appId = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody("Fresh " + s))),
                "applicationId");
        ProjectionRebuildTest.quiet();
        ProjectionRebuildTest.rebuildBoth(client);
        var before = ProjectionRebuildTest.dumps();
        String api = ProjectionRebuildTest.answer(client, PUBLISHER + "/apis/" + apiId);
        String app = ProjectionRebuildTest.answer(client, ApplicationsTest.DEVPORTAL + "/applications/" + appId);

        // This node stops projecting (as an operator stops the query nodes), the read models and tokens go.
        List<String> groups = List.of("apimgtdb", "shareddb");
        groups.forEach(g -> processing.eventProcessor(g).ifPresent(EventProcessor::shutDown));
        try {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA apimgtdb CASCADE");
                st.execute("DROP SCHEMA shareddb CASCADE");
                st.execute("DELETE FROM event_store.token_entry WHERE processor_name IN ('apimgtdb', 'shareddb')");
                st.execute("DELETE FROM event_store.dead_letter_entry WHERE processing_group IN ('apimgtdb', 'shareddb')");
            }
            try (ConfigurableApplicationContext fresh = LauncherTestBase.nodeBuilder()
                    .run(nodeArguments().toArray(String[]::new))) {
                int port = ((WebServerApplicationContext) fresh).getWebServer().getPort();
                WebTestClient node = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                        .responseTimeout(Duration.ofSeconds(30))
                        .defaultHeaders(h -> h.setBearerAuth(adminToken())).build();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> ProjectionRebuildTest.dumps().equals(before));
                assertThat(ProjectionRebuildTest.answer(node, PUBLISHER + "/apis/" + apiId)).isEqualTo(api);
                assertThat(ProjectionRebuildTest.answer(node, ApplicationsTest.DEVPORTAL + "/applications/" + appId))
                        .isEqualTo(app);
            }
        } finally {
            groups.forEach(g -> processing.eventProcessor(g).ifPresent(EventProcessor::start));
        }
        assertThat(ProjectionRebuildTest.answer(client, PUBLISHER + "/apis/" + apiId)).isEqualTo(api);
    }

    @Test
    void aGatewayOnlyNodeWithNoStateJoinsAndServes() throws Exception {
        String s = unique();
        Map<String, Object> body = apiBody("FreshGw" + s, "/freshgw-" + s, "1.0.0");
        body.put("endpointConfig", Map.of("endpoint_type", "http",
                "production_endpoints", Map.of("url", "http://127.0.0.1:" + backend.port() + "/fresh")));
        String apiId = text(tree(createApi(body)), "id");
        String revision = text(tree(client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"description\":\"first\"}").exchange()
                .expectStatus().isCreated().expectBody().returnResult()), "id");
        client.post().uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={r}", apiId, revision)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Default\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                .exchange().expectStatus().is2xxSuccessful();
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId).exchange()
                .expectStatus().isOk();
        String appId = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody("FreshGw " + s))),
                "applicationId");
        client.post().uri(ApplicationsTest.DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("apiId", apiId, "applicationId", appId, "throttlingPolicy", "Unlimited")))
                .exchange().expectStatus().isCreated();
        JsonNode keys = ApplicationKeysTest.generated(client, appId, "PRODUCTION");
        ClientKeys app = new ClientKeys(text(keys, "consumerKey"), text(keys, "consumerSecret"));
        String token = text(tree(tokenRequest(app, Map.of("grant_type", "client_credentials")).expectStatus().isOk()
                .expectBody().returnResult()), "access_token");

        String management = "http://localhost:" + port;
        try (ConfigurableApplicationContext gatewayNode = LauncherTestBase.nodeBuilder()
                .run(nodeArguments("--apim.roles=gateway", "--apim.internal.key=" + internalKey.value(),
                        "--apim.gateway.sync.internal-url=" + management,
                        "--apim.gateway.jwks-url=" + management + "/oauth2/jwks").toArray(String[]::new))) {
            int gatewayPort = gatewayNode.getBean(GatewayServer.class).httpPort();
            WebTestClient gw = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + gatewayPort)
                    .responseTimeout(Duration.ofSeconds(10)).build();
            String path = "/freshgw-" + s + "/1.0.0/menu";
            // a loaded machine with a long log may take a while; say what the gateway answered if it never serves
            java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    var result = gw.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                            .expectBody(String.class).returnResult();
                    last.set(result.getStatus().value() + " " + result.getResponseBody());
                    return result.getStatus().value() == 200;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the new gateway never answered 200; its last answer: " + last.get(), e);
            }
            JsonNode answer = tree(gw.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isOk().expectBody().returnResult());
            assertThat(text(answer, "path")).isEqualTo("/fresh/menu");
            gw.get().uri(path).exchange().expectStatus().isUnauthorized();

            var form = new LinkedMultiValueMap<String, String>();
            form.add("token", token);
            anonymous.post().uri("/oauth2/revoke").headers(h -> h.setBasicAuth(app.clientId(), app.clientSecret()))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
                    .exchange().expectStatus().isOk();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                    gw.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange().returnResult(byte[].class)
                            .getStatus().value() == 401);
        }
    }
}
