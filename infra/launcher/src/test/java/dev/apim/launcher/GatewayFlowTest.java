package dev.apim.launcher;

import dev.apim.gateway.model.GatewayLookup;
import dev.apim.gateway.server.GatewayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.DisposableServer;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's "done when", end to end in the all-in-one node: the WSO2 flow ends in a 200 through the gateway with a
 * client-credentials JWT; the 6th call on a 5-per-minute subscription gets 429; revoking the token gives 401; a
 * block condition gives WSO2's blocked answer. The backend is a real HTTP server started by the test.
 */
class GatewayFlowTest extends LauncherTestBase {

    static final String DEVPORTAL = "/api/am/devportal/v3";
    static final String ADMIN_API = "/api/am/admin/v4";

    private static DisposableServer backend;

    @Autowired
    GatewayServer gatewayServer;
    @Autowired
    GatewayLookup gateway;

    @BeforeAll
    static void startBackend() {
        backend = echoBackend("pizza");
    }

    @AfterAll
    static void stopBackend() {
        backend.disposeNow();
    }

    WebTestClient gatewayClient() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + gatewayServer.httpPort())
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void theWso2FlowEndsInA200ThroughTheGatewayAndEveryControlTakesEffect() throws Exception {
        String suffix = unique();
        String policy = "FivePerMin" + suffix;
        Map<String, Object> subscriptionPolicy = new LinkedHashMap<>();
        subscriptionPolicy.put("policyName", policy);
        subscriptionPolicy.put("displayName", policy);
        subscriptionPolicy.put("description", "5 per minute");
        subscriptionPolicy.put("defaultLimit", ThrottlePolicyAdminTest.requestCount(5, "min"));
        subscriptionPolicy.put("stopOnQuotaReach", true);
        subscriptionPolicy.put("requiresApproval", false);
        client.post().uri(ADMIN_API + "/throttling/policies/subscription").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(subscriptionPolicy)).exchange().expectStatus().isCreated();

        Map<String, Object> api = apiBody("Pizza" + suffix, "/pizza-" + suffix, "1.0.0");
        api.put("policies", List.of(policy));
        api.put("endpointConfig", Map.of("endpoint_type", "http",
                "production_endpoints", Map.of("url", "http://127.0.0.1:" + backend.port() + "/pizza")));
        String apiId = text(tree(createApi(api)), "id");
        String revision = text(tree(client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"description\":\"first\"}").exchange()
                .expectStatus().isCreated().expectBody().returnResult()), "id");
        client.post().uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={r}", apiId, revision)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Default\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                .exchange().expectStatus().is2xxSuccessful();
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId).exchange()
                .expectStatus().isOk();

        String appName = "PizzaApp" + suffix;
        String appId = text(tree(client.post().uri(DEVPORTAL + "/applications").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", appName, "throttlingPolicy", "Unlimited"))).exchange()
                .expectStatus().isCreated().expectBody().returnResult()), "applicationId");
        client.post().uri(DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("apiId", apiId, "applicationId", appId, "throttlingPolicy", policy)))
                .exchange().expectStatus().isCreated();
        JsonNode keys = ApplicationKeysTest.generated(client, appId, "PRODUCTION");
        ClientKeys app = new ClientKeys(text(keys, "consumerKey"), text(keys, "consumerSecret"));
        String token = text(tree(tokenRequest(app, Map.of("grant_type", "client_credentials")).expectStatus().isOk()
                .expectBody().returnResult()), "access_token");

        // The gateway learns of the API, the key mapping and the subscription from the broadcast stream.
        await("the gateway knows the API, keys and subscription", () ->
                gateway.apis().stream().anyMatch(a -> a.apiId().equals(apiId))
                        && gateway.keyMapping(app.clientId()).isPresent()
                        && gateway.subscription(appId, apiId).isPresent());

        WebTestClient gw = gatewayClient();
        String path = "/pizza-" + suffix + "/1.0.0/menu";
        EntityExchangeResult<byte[]> ok = gw.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody().returnResult();
        assertThat(text(tree(ok), "path")).isEqualTo("/pizza/menu");
        assertThat(ok.getResponseHeaders().getFirst("X-RateLimit-Limit")).isEqualTo("5");
        assertThat(ok.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("4");
        gw.get().uri(path).exchange().expectStatus().isUnauthorized();

        // Five per minute: calls 2..5 pass, the 6th is refused with WSO2's subscription-limit answer.
        for (int i = 2; i <= 5; i++) {
            gw.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
        }
        EntityExchangeResult<byte[]> limited = gw.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isEqualTo(429).expectBody().returnResult();
        assertThat(text(tree(limited), "code")).isEqualTo("900804");
        assertThat(limited.getResponseHeaders().getFirst("Retry-After")).isNotNull();

        // Revocation reaches the running gateway.
        var form = new org.springframework.util.LinkedMultiValueMap<String, String>();
        form.add("token", token);
        anonymous.post().uri("/oauth2/revoke").headers(h -> h.setBasicAuth(app.clientId(), app.clientSecret()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(org.springframework.web.reactive.function.BodyInserters.fromFormData(form))
                .exchange().expectStatus().isOk();
        await("the revoked token is refused", () -> gw.get().uri(path).headers(h -> h.setBearerAuth(token))
                .exchange().returnResult(byte[].class).getStatus().value() == 401);

        // A block condition on the application gives WSO2's blocked answer (403, 900805).
        String fresh = text(tree(tokenRequest(app, Map.of("grant_type", "client_credentials")).expectStatus().isOk()
                .expectBody().returnResult()), "access_token");
        client.post().uri(ADMIN_API + "/throttling/deny-policies").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("conditionType", "APPLICATION", "conditionValue", ADMIN + ":" + appName,
                        "conditionStatus", true)))
                .exchange().expectStatus().isCreated();
        await("the blocked application is refused", () -> gw.get().uri(path).headers(h -> h.setBearerAuth(fresh))
                .exchange().returnResult(byte[].class).getStatus().value() == 403);
        byte[] blocked = gw.get().uri(path).headers(h -> h.setBearerAuth(fresh)).exchange()
                .expectStatus().isForbidden().expectBody().returnResult().getResponseBody();
        assertThat(text(tree(blocked), "code")).isEqualTo("900805");
    }
}
