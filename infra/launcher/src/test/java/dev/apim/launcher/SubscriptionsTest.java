package dev.apim.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions end to end: a user subscribes their application to a published API through the Developer Portal,
 * the publisher sees, blocks and unblocks it, the user changes its tier and deletes it; every refusal answers a
 * WSO2 error and writes no event.
 */
class SubscriptionsTest extends LauncherTestBase {

    static final String DEVPORTAL = "/api/am/devportal/v3";
    static final String SIGN_UP = "/api/identity/user/v1.0/me";
    static final String SUBSCRIPTION_EVENTS = "payload_type LIKE 'dev.apim.domain.subscription.event.%'";

    /** The default application and subscription policies (idempotent; the policy bootstrap seeds the same). */
    @BeforeEach
    void policies() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_store.throttle_policy_claim (tenant, policy_level, name_key, name, policy_id)
                VALUES ('carbon.super', ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (String[] p : List.of(new String[] {"APPLICATION", "10PerMin"}, new String[] {"SUBSCRIPTION", "Gold"},
                    new String[] {"SUBSCRIPTION", "Silver"})) {
                ps.setString(1, p[0]);
                ps.setString(2, p[1].toLowerCase());
                ps.setString(3, p[1]);
                ps.setString(4, p[0].toLowerCase() + "-policy-" + p[1].toLowerCase());
                ps.executeUpdate();
            }
        }
    }

    // ---- helpers ----

    WebTestClient signUp(String username) {
        String password = "Secret-" + unique() + "-9";
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("realm", "PRIMARY");
        user.put("password", password);
        user.put("claims", List.of(Map.of("uri", "http://wso2.org/claims/emailaddress",
                "value", username + "@example.com")));
        anonymous.post().uri(SIGN_UP).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("user", user, "properties", List.of())))
                .exchange().expectStatus().isCreated();
        return as(username, password);
    }

    String application(WebTestClient as) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "App " + unique());
        body.put("throttlingPolicy", "10PerMin");
        body.put("tokenType", "JWT");
        return text(tree(as.post().uri(DEVPORTAL + "/applications").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange().expectStatus().isCreated().expectBody().returnResult()),
                "applicationId");
    }

    /** An API offering Gold and Silver; published when asked. */
    String api(boolean published) {
        String suffix = unique();
        Map<String, Object> body = apiBody("Subs" + suffix, "/subs-" + suffix, "1.0.0");
        body.put("policies", List.of("Gold", "Silver"));
        String apiId = text(tree(createApi(body)), "id");
        if (published) {
            client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                    .exchange().expectStatus().isOk();
        }
        return apiId;
    }

    static String subscriptionBody(String apiId, String applicationId, String tier) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiId", apiId);
        body.put("applicationId", applicationId);
        body.put("throttlingPolicy", tier);
        return json(body);
    }

    static WebTestClient.ResponseSpec subscribe(WebTestClient as, String apiId, String applicationId, String tier) {
        return as.post().uri(DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(subscriptionBody(apiId, applicationId, tier)).exchange();
    }

    static long subscriptionEvents() {
        return queryLong("SELECT count(*) FROM " + EVENTS + " WHERE " + SUBSCRIPTION_EVENTS);
    }

    private JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    private JsonNode publisherView(String apiId) {
        return tree(client.get().uri(PUBLISHER + "/subscriptions?apiId={id}", apiId).exchange()
                .expectStatus().isOk().expectBody().returnResult());
    }

    private static String statusOf(WebTestClient as, String subscriptionId) {
        return text(tree(as.get().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId).exchange()
                .expectStatus().isOk().expectBody().returnResult()), "status");
    }

    // ---- tests ----

    @Test
    void aUserSubscribesTheirApplicationAndThePublisherSeesIt() {
        WebTestClient alice = signUp("alice-" + unique());
        String apiId = api(true);
        String appId = application(alice);

        JsonNode created = tree(subscribe(alice, apiId, appId, "Gold").expectStatus().isCreated().expectBody()
                .returnResult());
        String subscriptionId = text(created, "subscriptionId");
        assertThat(subscriptionId).isNotBlank();
        assertThat(text(created, "status")).isEqualTo("UNBLOCKED");
        assertThat(text(created, "throttlingPolicy")).isEqualTo("Gold");
        assertThat(text(created, "apiId")).isEqualTo(apiId);
        assertThat(text(created, "applicationId")).isEqualTo(appId);
        assertThat(text(created.get("apiInfo"), "lifeCycleStatus")).isEqualTo("PUBLISHED");
        assertThat(text(created.get("applicationInfo"), "applicationId")).isEqualTo(appId);

        JsonNode mine = tree(alice.get().uri(DEVPORTAL + "/subscriptions?applicationId={id}", appId).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(mine.get("count").asInt()).isEqualTo(1);
        assertThat(mine.get("pagination").get("total").asLong()).isEqualTo(1);
        JsonNode entry = mine.get("list").get(0);
        assertThat(text(entry, "subscriptionId")).isEqualTo(subscriptionId);
        assertThat(text(entry.get("apiInfo"), "id")).isEqualTo(apiId);
        assertThat(text(entry.get("apiInfo"), "context")).startsWith("/subs-");
        assertThat(text(entry.get("applicationInfo"), "throttlingPolicy")).isEqualTo("10PerMin");

        JsonNode byAdmin = tree(client.get().uri(DEVPORTAL + "/subscriptions?applicationId={id}", appId).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(byAdmin.get("count").asInt()).isEqualTo(1);

        JsonNode published = publisherView(apiId);
        assertThat(published.get("count").asInt()).isEqualTo(1);
        JsonNode seen = published.get("list").get(0);
        assertThat(text(seen, "subscriptionId")).isEqualTo(subscriptionId);
        assertThat(text(seen, "subscriptionStatus")).isEqualTo("UNBLOCKED");
        assertThat(text(seen, "throttlingPolicy")).isEqualTo("Gold");
        assertThat(text(seen.get("applicationInfo"), "applicationId")).isEqualTo(appId);
        assertThat(text(seen.get("applicationInfo"), "subscriber")).startsWith("alice-");
    }

    @Test
    void refusedSubscriptionsWriteNothing() {
        WebTestClient alice = signUp("alice-" + unique());
        WebTestClient bob = signUp("bob-" + unique());
        String apiId = api(true);
        String appId = application(alice);
        String bobsApp = application(bob);
        subscribe(alice, apiId, appId, "Gold").expectStatus().isCreated();

        refused(409, 900336L, () -> subscribe(alice, apiId, appId, "Silver"));
        String otherApi = api(true);
        String createdApi = api(false);
        refused(400, 900305L, () -> subscribe(alice, otherApi, appId, "Bronze"));
        refused(409, 900318L, () -> subscribe(alice, createdApi, appId, "Gold"));
        refused(404, 900307L, () -> subscribe(alice, apiId, bobsApp, "Gold"));
        refused(404, 900307L, () -> subscribe(alice, apiId, "not-an-id", "Gold"));
        refused(404, 900308L, () -> subscribe(alice, "00000000-0000-0000-0000-000000000000", appId, "Gold"));
        refused(404, 900308L, () -> subscribe(alice, appId, appId, "Gold"));
        refused(404, 900307L, () -> subscribe(alice, apiId, apiId, "Gold"));
        refused(400, null, () -> subscribe(alice, apiId, appId, " "));
        refused(400, null, () -> alice.post().uri(DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"apiId\":\"" + apiId + "\",\"applicationId\":\"" + appId
                        + "\",\"throttlingPolicy\":\"Gold\",\"surprise\":1}").exchange());
        refused(404, 900307L, () -> alice.get().uri(DEVPORTAL + "/subscriptions?applicationId={id}", bobsApp)
                .exchange());
        refused(400, null, () -> alice.get().uri(DEVPORTAL + "/subscriptions").exchange());
        refused(400, null, () -> alice.get().uri(DEVPORTAL + "/subscriptions?applicationId={id}&limit=x", appId)
                .exchange());
    }

    @Test
    void anotherUsersSubscriptionLooksMissing() {
        WebTestClient alice = signUp("alice-" + unique());
        WebTestClient bob = signUp("bob-" + unique());
        String apiId = api(true);
        String subscriptionId = text(tree(subscribe(alice, apiId, application(alice), "Gold").expectStatus()
                .isCreated().expectBody().returnResult()), "subscriptionId");

        refused(404, 900310L, () -> bob.get().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId).exchange());
        refused(404, 900310L, () -> bob.delete().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId).exchange());
        refused(404, 900310L, () -> bob.put().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"throttlingPolicy\":\"Silver\"}").exchange());
        refused(404, 900310L, () -> alice.get().uri(DEVPORTAL + "/subscriptions/{id}", "nope").exchange());
        refused(404, 900310L, () -> alice.delete().uri(DEVPORTAL + "/subscriptions/{id}",
                "00000000-0000-0000-0000-000000000000").exchange());
        assertThat(bob.get().uri(DEVPORTAL + "/subscriptions?apiId={id}", apiId).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody()).asString().contains("\"count\":0");
        assertThat(statusOf(alice, subscriptionId)).isEqualTo("UNBLOCKED");
    }

    @Test
    void tierChangeBlockingUnblockingAndDeleteFollowTheRules() {
        WebTestClient alice = signUp("alice-" + unique());
        String apiId = api(true);
        String subscriptionId = text(tree(subscribe(alice, apiId, application(alice), "Gold").expectStatus()
                .isCreated().expectBody().returnResult()), "subscriptionId");

        JsonNode changed = tree(alice.put().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"throttlingPolicy\":\"Silver\"}").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(text(changed, "throttlingPolicy")).isEqualTo("Silver");
        assertThat(text(publisherView(apiId).get("list").get(0), "throttlingPolicy")).isEqualTo("Silver");
        refused(400, 900305L, () -> alice.put().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"throttlingPolicy\":\"Bronze\"}").exchange());

        refused(400, null, () -> client.post().uri(PUBLISHER
                + "/subscriptions/block-subscription?subscriptionId={id}&blockState=SOMETIMES", subscriptionId)
                .exchange());
        refused(400, null, () -> client.post().uri(PUBLISHER + "/subscriptions/block-subscription?blockState=BLOCKED")
                .exchange());
        refused(404, 900310L, () -> client.post().uri(PUBLISHER
                + "/subscriptions/unblock-subscription?subscriptionId=00000000-0000-0000-0000-000000000000").exchange());

        client.post().uri(PUBLISHER + "/subscriptions/block-subscription?subscriptionId={id}"
                + "&blockState=PROD_ONLY_BLOCKED", subscriptionId).exchange().expectStatus().isOk();
        assertThat(statusOf(alice, subscriptionId)).isEqualTo("PROD_ONLY_BLOCKED");
        client.post().uri(PUBLISHER + "/subscriptions/block-subscription?subscriptionId={id}&blockState=BLOCKED",
                subscriptionId).exchange().expectStatus().isOk();
        assertThat(statusOf(alice, subscriptionId)).isEqualTo("BLOCKED");
        assertThat(text(publisherView(apiId).get("list").get(0), "subscriptionStatus")).isEqualTo("BLOCKED");
        refused(409, 900318L, () -> alice.put().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"throttlingPolicy\":\"Gold\"}").exchange());
        client.post().uri(PUBLISHER + "/subscriptions/unblock-subscription?subscriptionId={id}", subscriptionId)
                .exchange().expectStatus().isOk();
        assertThat(statusOf(alice, subscriptionId)).isEqualTo("UNBLOCKED");

        refused(409, 900343L, () -> client.delete().uri(PUBLISHER + "/apis/{id}", apiId).exchange());

        long before = subscriptionEvents();
        alice.delete().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId).exchange().expectStatus().isOk();
        assertThat(subscriptionEvents()).isEqualTo(before + 1);
        refused(404, 900310L, () -> alice.get().uri(DEVPORTAL + "/subscriptions/{id}", subscriptionId).exchange());
        assertThat(publisherView(apiId).get("count").asInt()).isZero();

        client.delete().uri(PUBLISHER + "/apis/{id}", apiId).exchange().expectStatus().isOk();
    }

    @Test
    void aTierThatRequiresApprovalPutsTheSubscriptionOnHold() throws SQLException {
        String tier = "Approve" + unique();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_store.throttle_policy_claim (tenant, policy_level, name_key, name, policy_id,
                    requires_approval) VALUES ('carbon.super', 'SUBSCRIPTION', ?, ?, ?, true)""")) {
            ps.setString(1, tier.toLowerCase());
            ps.setString(2, tier);
            ps.setString(3, "subscription-policy-" + tier.toLowerCase());
            ps.executeUpdate();
        }
        WebTestClient alice = signUp("alice-" + unique());
        String suffix = unique();
        Map<String, Object> body = apiBody("Held" + suffix, "/held-" + suffix, "1.0.0");
        body.put("policies", List.of(tier));
        String apiId = text(tree(createApi(body)), "id");
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange().expectStatus().isOk();

        JsonNode created = tree(subscribe(alice, apiId, application(alice), tier).expectStatus().isCreated()
                .expectBody().returnResult());
        String subscriptionId = text(created, "subscriptionId");
        assertThat(text(created, "status")).isEqualTo("ON_HOLD");
        assertThat(text(publisherView(apiId).get("list").get(0), "subscriptionStatus")).isEqualTo("ON_HOLD");
        refused(409, 900318L, () -> client.post().uri(PUBLISHER
                + "/subscriptions/block-subscription?subscriptionId={id}&blockState=BLOCKED", subscriptionId).exchange());
    }
}
