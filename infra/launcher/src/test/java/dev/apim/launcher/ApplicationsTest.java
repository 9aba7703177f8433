package dev.apim.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Developer Portal applications end to end: users sign themselves up, create and change their own applications
 * with Basic auth, and never see or touch another user's.
 */
class ApplicationsTest extends LauncherTestBase {

    static final String DEVPORTAL = "/api/am/devportal/v3";
    static final String SIGN_UP = "/api/identity/user/v1.0/me";
    static final String APPLICATION_EVENTS = "payload_type LIKE 'dev.apim.domain.application.event.%'";

    /** The default application policies, as the policy slice seeds them (after the context has migrated). */
    @BeforeEach
    void applicationPolicies() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_store.throttle_policy_claim (tenant, policy_level, name_key, name, policy_id)
                VALUES ('carbon.super', 'APPLICATION', ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (String name : List.of("10PerMin", "20PerMin", "50PerMin", "Unlimited")) {
                ps.setString(1, name.toLowerCase());
                ps.setString(2, name);
                ps.setString(3, "application-policy-" + name.toLowerCase());
                ps.executeUpdate();
            }
        }
    }

    // ---- helpers ----

    static Map<String, Object> signUpBody(String username, String password) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("realm", "PRIMARY");
        user.put("password", password);
        user.put("claims", List.of(Map.of("uri", "http://wso2.org/claims/givenname", "value", "Given"),
                Map.of("uri", "http://wso2.org/claims/emailaddress", "value", username + "@example.com")));
        return Map.of("user", user, "properties", List.of());
    }

    /** Signs a new user up and returns a client authenticated as that user. */
    WebTestClient signUp(String username) {
        String password = "Secret-" + unique() + "-9";
        anonymous.post().uri(SIGN_UP).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(signUpBody(username, password)))
                .exchange().expectStatus().isCreated();
        return as(username, password);
    }

    static Map<String, Object> appBody(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("throttlingPolicy", "10PerMin");
        body.put("description", "App " + name);
        body.put("tokenType", "JWT");
        body.put("attributes", Map.of("team", "blue"));
        body.put("groups", List.of());
        return body;
    }

    static EntityExchangeResult<byte[]> createApp(WebTestClient as, Map<String, Object> body) {
        return as.post().uri(DEVPORTAL + "/applications").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange()
                .expectStatus().isCreated().expectBody().returnResult();
    }

    static long applicationEvents() {
        return queryLong("SELECT count(*) FROM " + EVENTS + " WHERE " + APPLICATION_EVENTS);
    }

    private JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("list").forEach(n -> names.add(text(n, "name")));
        return names;
    }

    // ---- tests ----

    @Test
    void aSignedUpUserCreatesAnApplicationInWso2Shape() {
        WebTestClient alice = signUp("alice-" + unique());
        String name = "Shop " + unique();
        EntityExchangeResult<byte[]> result = createApp(alice, appBody(name));
        assertThat(etag(result)).isEqualTo("\"0\"");
        JsonNode app = tree(result);
        assertThat(text(app, "applicationId")).isNotBlank();
        assertThat(text(app, "name")).isEqualTo(name);
        assertThat(text(app, "throttlingPolicy")).isEqualTo("10PerMin");
        assertThat(text(app, "tokenType")).isEqualTo("JWT");
        assertThat(text(app, "status")).isEqualTo("APPROVED");
        assertThat(app.get("subscriptionCount").asInt()).isZero();
        assertThat(app.get("keys").isArray()).isTrue();
        assertThat(app.get("subscriptionScopes").isArray()).isTrue();
        assertThat(app.get("hashEnabled").asBoolean()).isFalse();
        assertThat(app.get("attributes").get("team").asString()).isEqualTo("blue");
        assertThat(text(app, "createdTime")).isNotBlank();

        JsonNode read = tree(alice.get().uri(DEVPORTAL + "/applications/{id}", text(app, "applicationId"))
                .exchange().expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"0\"")
                .expectBody().returnResult());
        assertThat(text(read, "name")).isEqualTo(name);
        assertThat(text(read, "owner")).isEqualTo(text(app, "owner"));
        assertThat(read.get("attributes").get("team").asString()).isEqualTo("blue");
        assertThat(queryLong("SELECT count(*) FROM apimgtdb.application WHERE application_id = ? "
                + "AND throttling_policy = '10PerMin'", text(app, "applicationId"))).isEqualTo(1);
    }

    @Test
    void namesAreUniquePerOwnerIgnoringCaseButFreeForOthers() {
        WebTestClient alice = signUp("alice-" + unique());
        WebTestClient bob = signUp("bob-" + unique());
        String name = "Dup " + unique();
        createApp(alice, appBody(name));
        refused(409, 900301L, () -> alice.post().uri(DEVPORTAL + "/applications")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(appBody(name.toUpperCase()))).exchange());
        createApp(bob, appBody(name));
    }

    @Test
    void invalidApplicationsAreRefusedWithoutEvents() {
        WebTestClient alice = signUp("alice-" + unique());
        Map<String, Object> unknownPolicy = appBody("P " + unique());
        unknownPolicy.put("throttlingPolicy", "NoSuchPolicy");
        refused(400, 900400L, () -> alice.post().uri(DEVPORTAL + "/applications")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(unknownPolicy)).exchange());

        Map<String, Object> oauth = appBody("T " + unique());
        oauth.put("tokenType", "OAUTH");
        refused(400, 900400L, () -> alice.post().uri(DEVPORTAL + "/applications")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(oauth)).exchange());

        Map<String, Object> unknownField = appBody("U " + unique());
        unknownField.put("colour", "red");
        refused(400, 400L, () -> alice.post().uri(DEVPORTAL + "/applications")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(unknownField)).exchange());

        refused(400, 900400L, () -> alice.post().uri(DEVPORTAL + "/applications")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(appBody("x".repeat(101)))).exchange());
        refused(400, 900400L, () -> alice.post().uri(DEVPORTAL + "/applications")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(appBody("<b>bold</b>"))).exchange());

        // WSO2's server-set fields are accepted and ignored
        Map<String, Object> withServerFields = appBody("S " + unique());
        withServerFields.put("applicationId", "ignored");
        withServerFields.put("status", "REJECTED");
        withServerFields.put("subscriptionCount", 7);
        withServerFields.put("keys", List.of());
        withServerFields.put("owner", "someone-else");
        JsonNode app = tree(createApp(alice, withServerFields));
        assertThat(text(app, "status")).isEqualTo("APPROVED");
        assertThat(text(app, "applicationId")).isNotEqualTo("ignored");
        assertThat(text(app, "owner")).isNotEqualTo("someone-else");
    }

    @Test
    void theOwnerUpdatesWithIfMatchAndAStaleEtagIsRefused() {
        WebTestClient alice = signUp("alice-" + unique());
        String id = text(tree(createApp(alice, appBody("Upd " + unique()))), "applicationId");
        Map<String, Object> changed = appBody("Renamed " + unique());
        changed.put("throttlingPolicy", "50PerMin");
        JsonNode updated = tree(alice.put().uri(DEVPORTAL + "/applications/{id}", id)
                .header(HttpHeaders.IF_MATCH, "\"0\"").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(changed)).exchange()
                .expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"")
                .expectBody().returnResult());
        assertThat(text(updated, "name")).isEqualTo(changed.get("name"));
        assertThat(text(updated, "throttlingPolicy")).isEqualTo("50PerMin");

        refused(412, 412L, () -> alice.put().uri(DEVPORTAL + "/applications/{id}", id)
                .header(HttpHeaders.IF_MATCH, "\"0\"").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(appBody("Stale " + unique()))).exchange());

        JsonNode read = tree(alice.get().uri(DEVPORTAL + "/applications/{id}", id).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(text(read, "name")).isEqualTo(changed.get("name"));
        assertThat(text(read, "throttlingPolicy")).isEqualTo("50PerMin");
    }

    @Test
    void anotherUsersApplicationDoesNotExistForYou() {
        WebTestClient alice = signUp("alice-" + unique());
        WebTestClient bob = signUp("bob-" + unique());
        String aliceApp = "Private " + unique();
        String id = text(tree(createApp(alice, appBody(aliceApp))), "applicationId");
        String bobApp = "Bobs " + unique();
        createApp(bob, appBody(bobApp));

        refused(404, 900307L, () -> bob.get().uri(DEVPORTAL + "/applications/{id}", id).exchange());
        refused(404, 900307L, () -> bob.put().uri(DEVPORTAL + "/applications/{id}", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(appBody("Stolen " + unique()))).exchange());
        refused(404, 900307L, () -> bob.delete().uri(DEVPORTAL + "/applications/{id}", id).exchange());
        refused(404, 900307L, () -> bob.delete().uri(DEVPORTAL + "/applications/{id}", id)
                .header(HttpHeaders.IF_MATCH, "\"5\"").exchange());
        // the answers are the same as for an id that never existed
        refused(404, 900307L, () -> bob.delete().uri(DEVPORTAL + "/applications/{id}",
                "00000000-0000-4000-8000-000000000000").exchange());
        refused(404, 900307L, () -> bob.get().uri(DEVPORTAL + "/applications/{id}", "not-a-uuid").exchange());

        JsonNode aliceList = tree(alice.get().uri(DEVPORTAL + "/applications").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(names(aliceList)).containsExactly(aliceApp);
        assertThat(aliceList.get("count").asInt()).isEqualTo(1);
        assertThat(aliceList.get("pagination").get("total").asLong()).isEqualTo(1);
        JsonNode bobList = tree(bob.get().uri(DEVPORTAL + "/applications").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(names(bobList)).containsExactly(bobApp);

        // still Alice's, unchanged
        JsonNode read = tree(alice.get().uri(DEVPORTAL + "/applications/{id}", id).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(text(read, "name")).isEqualTo(aliceApp);
    }

    @Test
    void anApiIdIsNotAnApplication() {
        WebTestClient alice = signUp("alice-" + unique());
        String suffix = unique();
        String apiId = text(tree(createApi(apiBody("Api-" + suffix, "/api-" + suffix, "1.0.0"))), "id");
        refused(404, 900307L, () -> alice.delete().uri(DEVPORTAL + "/applications/{id}", apiId).exchange());
        refused(404, 900307L, () -> client.delete().uri(DEVPORTAL + "/applications/{id}", apiId).exchange());
    }

    @Test
    void listingPagesAndFiltersByName() {
        WebTestClient carol = signUp("carol-" + unique());
        String tag = unique();
        for (String n : List.of("alpha", "beta", "gamma")) {
            createApp(carol, appBody(n + " " + tag));
        }
        JsonNode page = tree(carol.get().uri(DEVPORTAL + "/applications?limit=2&offset=0").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(names(page)).containsExactly("alpha " + tag, "beta " + tag);
        assertThat(page.get("pagination").get("total").asLong()).isEqualTo(3);
        assertThat(text(page.get("pagination"), "next")).contains("offset=2");
        JsonNode filtered = tree(carol.get().uri(DEVPORTAL + "/applications?query=GAM").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(names(filtered)).containsExactly("gamma " + tag);
        refused(400, 400L, () -> carol.get().uri(DEVPORTAL + "/applications?limit=0").exchange());
        refused(400, 400L, () -> carol.get().uri(DEVPORTAL + "/applications?offset=x").exchange());
    }

    @Test
    void deletingFreesTheName() {
        WebTestClient alice = signUp("alice-" + unique());
        String name = "Gone " + unique();
        String id = text(tree(createApp(alice, appBody(name))), "applicationId");
        alice.delete().uri(DEVPORTAL + "/applications/{id}", id).exchange().expectStatus().isOk();
        refused(404, 900307L, () -> alice.get().uri(DEVPORTAL + "/applications/{id}", id).exchange());
        refused(404, 900307L, () -> alice.delete().uri(DEVPORTAL + "/applications/{id}", id).exchange());
        assertThat(queryLong("SELECT count(*) FROM event_store.application_name_claim WHERE application_id = ?", id))
                .isZero();
        createApp(alice, appBody(name));
    }

    @Test
    void applicationsNeedAuthentication() {
        anonymous.get().uri(DEVPORTAL + "/applications").exchange().expectStatus().isUnauthorized();
        long before = eventCount();
        anonymous.post().uri(DEVPORTAL + "/applications").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(appBody("Anon " + unique()))).exchange().expectStatus().isUnauthorized();
        assertThat(eventCount()).isEqualTo(before);
    }
}
