package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole consumer story over HTTP: a user signs up, creates an application, finds a published API
 * by search, subscribes with a tier that requires approval, the administrator approves the workflow, and the
 * subscription is UNBLOCKED in both portals; retiring the API then rejects a pending approval and leaves the
 * active subscription on record, as documented in docs/architecture.md; deleting the application removes its
 * subscriptions.
 */
class SubscriptionApprovalFlowTest extends LauncherTestBase {

    private static final String ADMIN_API = "/api/am/admin/v4";
    private static final String DEVPORTAL = "/api/am/devportal/v3";

    @Test
    void sign_up_search_subscribe_with_approval_approve_and_retire() {
        String suffix = unique();
        String tier = "Approval" + suffix.replace("-", "");
        Map<String, Object> policy = new LinkedHashMap<>(ThrottlePolicyAdminTest.subscriptionBody(tier, 100));
        policy.remove("monetization");
        client.post().uri(ADMIN_API + "/throttling/policies/subscription").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(policy)).exchange().expectStatus().isCreated();

        Map<String, Object> apiBody = apiBody("Weather" + suffix, "/weather-" + suffix, "1.0.0");
        apiBody.put("description", "Forecasts by the hour " + suffix);
        apiBody.put("tags", List.of("forecast"));
        apiBody.put("policies", List.of("Gold", tier));
        String apiId = text(tree(createApi(apiBody)), "id");
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange().expectStatus().isOk();

        WebTestClient carol = signUp("carol-" + suffix);
        String applicationId = application(carol);
        JsonNode found = tree(carol.get().uri(DEVPORTAL + "/apis?query=Forecasts " + suffix).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(found.get("list").findValuesAsString("id")).contains(apiId);

        JsonNode subscription = tree(subscribe(carol, apiId, applicationId, tier)
                .expectStatus().isCreated().expectBody().returnResult());
        String subscriptionId = text(subscription, "subscriptionId");
        assertThat(text(subscription, "status")).isEqualTo("ON_HOLD");

        String workflowId = await().atMost(Duration.ofSeconds(10)).until(() -> pendingWorkflowFor(subscriptionId),
                id -> id != null);
        client.post().uri(ADMIN_API + "/workflows/update-workflow-status?workflowReferenceId={id}", workflowId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("status", "APPROVED", "attributes", Map.of(), "description", "fine")))
                .exchange().expectStatus().isOk();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(statusIn(carol, subscriptionId)).isEqualTo("UNBLOCKED");
            assertThat(publisherStatus(apiId, subscriptionId)).isEqualTo("UNBLOCKED");
        });

        // A second application waits for approval when the API is retired: its approval is rejected.
        String pendingApp = application(carol);
        String pending = text(tree(subscribe(carol, apiId, pendingApp, tier).expectStatus().isCreated()
                .expectBody().returnResult()), "subscriptionId");
        for (String action : List.of("Deprecate", "Retire")) {
            client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action={a}", apiId, action)
                    .exchange().expectStatus().isOk();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(statusIn(carol, pending)).isEqualTo("REJECTED"));
        assertThat(statusIn(carol, subscriptionId)).isEqualTo("UNBLOCKED");
        subscribe(carol, apiId, application(carol), "Gold").expectStatus().isEqualTo(409);

        // Deleting the application removes its subscriptions.
        carol.delete().uri(DEVPORTAL + "/applications/{id}", applicationId).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                carol.get().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId).exchange()
                        .expectStatus().isNotFound());
        assertThat(queryLong("SELECT count(*) FROM event_store.subscription_claim WHERE subscription_id = ?",
                subscriptionId)).isZero();
    }

    private WebTestClient signUp(String username) {
        String password = "Secret-" + unique() + "-9";
        Map<String, Object> user = Map.of("username", username, "realm", "PRIMARY", "password", password,
                "claims", List.of());
        anonymous.post().uri("/api/identity/user/v1.0/me").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("user", user, "properties", List.of())))
                .exchange().expectStatus().isCreated();
        return as(username, password);
    }

    private String application(WebTestClient as) {
        return text(tree(as.post().uri(DEVPORTAL + "/applications").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "App " + unique(), "throttlingPolicy", "10PerMin", "tokenType", "JWT")))
                .exchange().expectStatus().isCreated().expectBody().returnResult()), "applicationId");
    }

    private static WebTestClient.ResponseSpec subscribe(WebTestClient as, String apiId, String applicationId,
                                                        String tier) {
        return as.post().uri(DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("apiId", apiId, "applicationId", applicationId, "throttlingPolicy", tier)))
                .exchange();
    }

    private String pendingWorkflowFor(String subscriptionId) {
        JsonNode list = tree(client.get().uri(ADMIN_API + "/workflows?workflowType=AM_SUBSCRIPTION_CREATION")
                .exchange().expectStatus().isOk().expectBody().returnResult()).get("list");
        for (JsonNode workflow : list) {
            JsonNode properties = workflow.get("properties");
            if (properties != null && subscriptionId.equals(text(properties, "subscriptionId"))) {
                return text(workflow, "referenceId");
            }
        }
        return null;
    }

    private static String statusIn(WebTestClient as, String subscriptionId) {
        return text(tree(as.get().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId).exchange()
                .expectStatus().isOk().expectBody().returnResult()), "status");
    }

    private String publisherStatus(String apiId, String subscriptionId) {
        JsonNode list = tree(client.get().uri(PUBLISHER + "/subscriptions?apiId={id}", apiId).exchange()
                .expectStatus().isOk().expectBody().returnResult()).get("list");
        for (JsonNode s : list) {
            if (subscriptionId.equals(text(s, "subscriptionId"))) {
                return text(s, "subscriptionStatus");
            }
        }
        return null;
    }
}
