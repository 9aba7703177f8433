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
 * Developer Portal key mappings end to end: the owner generates an application's keys per key type, sees the clear
 * secret once (the event store holds only its Argon2 hash), lists, changes, regenerates and removes them; another
 * user never sees or touches them.
 */
class ApplicationKeysTest extends LauncherTestBase {

    static final String DEVPORTAL = ApplicationsTest.DEVPORTAL;
    static final String KEY_EVENTS = "payload_type LIKE 'dev.apim.domain.keys.event.%'";

    @BeforeEach
    void applicationPolicies() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_store.throttle_policy_claim (tenant, policy_level, name_key, name, policy_id)
                VALUES ('carbon.super', 'APPLICATION', '10permin', '10PerMin', 'application-policy-10permin')
                ON CONFLICT DO NOTHING""")) {
            ps.executeUpdate();
        }
    }

    // ---- helpers ----

    WebTestClient signUp(String username) {
        String password = "Secret-" + unique() + "-9";
        anonymous.post().uri(ApplicationsTest.SIGN_UP).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(ApplicationsTest.signUpBody(username, password)))
                .exchange().expectStatus().isCreated();
        return as(username, password);
    }

    static String createApp(WebTestClient as) {
        return text(tree(ApplicationsTest.createApp(as, ApplicationsTest.appBody("Keys " + unique()))),
                "applicationId");
    }

    static Map<String, Object> generateBody(String keyType, List<String> grants, String callbackUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keyType", keyType);
        body.put("grantTypesToBeSupported", grants);
        body.put("callbackUrl", callbackUrl);
        body.put("validityTime", 3600);
        body.put("scopes", List.of("default"));
        body.put("keyManager", "Resident Key Manager");
        body.put("additionalProperties", Map.of());
        return body;
    }

    static WebTestClient.ResponseSpec generate(WebTestClient as, String applicationId, Map<String, Object> body) {
        return as.post().uri(DEVPORTAL + "/applications/{id}/generate-keys", applicationId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange();
    }

    static JsonNode generated(WebTestClient as, String applicationId, String keyType) {
        return tree(generate(as, applicationId, generateBody(keyType, List.of("client_credentials", "password"),
                null)).expectStatus().isOk().expectBody().returnResult());
    }

    static long keyEvents() {
        return queryLong("SELECT count(*) FROM " + EVENTS + " WHERE " + KEY_EVENTS);
    }

    static String lastKeyEventPayload(String type) {
        List<Map<String, Object>> rows = queryRows("SELECT payload FROM " + EVENTS + " WHERE payload_type = ? "
                + "ORDER BY global_index DESC LIMIT 1", "dev.apim.domain.keys.event." + type);
        return rows.get(0).get("payload").toString();
    }

    private static void refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
    }

    // ---- tests ----

    @Test
    void generatedKeysShowTheSecretOnceAndStoreOnlyItsHash() {
        WebTestClient alice = signUp("alice-" + unique());
        String app = createApp(alice);
        long before = keyEvents();
        JsonNode key = generated(alice, app, "PRODUCTION");
        assertThat(keyEvents()).isEqualTo(before + 1);

        String consumerKey = text(key, "consumerKey");
        String secret = text(key, "consumerSecret");
        assertThat(consumerKey).matches("[A-Za-z0-9_-]{32}");
        assertThat(secret).isNotBlank().hasSizeGreaterThanOrEqualTo(43);
        assertThat(text(key, "keyMappingId")).isNotBlank();
        assertThat(text(key, "keyManager")).isEqualTo("Resident Key Manager");
        assertThat(text(key, "keyState")).isEqualTo("COMPLETED");
        assertThat(text(key, "keyType")).isEqualTo("PRODUCTION");
        assertThat(text(key, "mode")).isEqualTo("CREATED");
        assertThat(key.has("groupId")).isTrue();
        assertThat(key.get("groupId").isNull()).isTrue();
        assertThat(key.get("token").isNull()).isTrue();
        assertThat(key.get("supportedGrantTypes").toString()).contains("client_credentials", "password");
        JsonNode props = key.get("additionalProperties");
        assertThat(props.get("application_access_token_expiry_time").asString()).isEqualTo("3600");
        assertThat(props.get("refresh_token_expiry_time").asString()).isEqualTo("86400");
        assertThat(props.has("user_access_token_expiry_time")).isTrue();
        assertThat(props.has("id_token_expiry_time")).isTrue();

        String payload = lastKeyEventPayload("ApplicationKeysGenerated");
        assertThat(payload).contains("$argon2").contains(consumerKey).doesNotContain(secret);

        JsonNode list = tree(alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys", app).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(1);
        JsonNode listed = list.get("list").get(0);
        assertThat(text(listed, "consumerKey")).isEqualTo(consumerKey);
        assertThat(listed.has("consumerSecret")).isFalse();
        assertThat(list.toString()).doesNotContain(secret).doesNotContain("$argon2");
        assertThat(queryLong("SELECT count(*) FROM apimgtdb.application_keys WHERE consumer_key = ?", consumerKey))
                .isEqualTo(1);

        JsonNode one = tree(alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app,
                text(key, "keyMappingId")).exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(one, "consumerKey")).isEqualTo(consumerKey);
        assertThat(one.has("consumerSecret")).isFalse();
    }

    @Test
    void oneMappingPerKeyTypeASecondGenerateIsAConflict() {
        WebTestClient alice = signUp("alice-" + unique());
        String app = createApp(alice);
        generated(alice, app, "PRODUCTION");
        refused(409, 901408L, () -> generate(alice, app, generateBody("PRODUCTION", List.of("client_credentials"),
                null)));
        JsonNode sandbox = generated(alice, app, "SANDBOX");
        assertThat(text(sandbox, "keyType")).isEqualTo("SANDBOX");
        JsonNode list = tree(alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys", app).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(2);
    }

    @Test
    void invalidGrantTypesAreRefusedWithoutEvents() {
        WebTestClient alice = signUp("alice-" + unique());
        String app = createApp(alice);
        refused(400, null, () -> generate(alice, app, generateBody("PRODUCTION", List.of("refresh_token"), null)));
        refused(400, null, () -> generate(alice, app, generateBody("PRODUCTION", List.of("authorization_code"),
                null)));
        refused(400, null, () -> generate(alice, app, generateBody("PRODUCTION", List.of("no_such_grant"), null)));
        refused(400, null, () -> generate(alice, app, generateBody("NEITHER", List.of("client_credentials"), null)));
        generate(alice, app, generateBody("PRODUCTION", List.of("authorization_code", "refresh_token"),
                "https://app.example.com/cb")).expectStatus().isOk();
    }

    @Test
    void anotherUsersApplicationAndKeysDoNotExistForThem() {
        WebTestClient alice = signUp("alice-" + unique());
        WebTestClient bob = signUp("bob-" + unique());
        String app = createApp(alice);
        refused(404, 900307L, () -> generate(bob, app, generateBody("PRODUCTION", List.of("client_credentials"),
                null)));
        String mapping = text(generated(alice, app, "PRODUCTION"), "keyMappingId");
        bob.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys", app).exchange().expectStatus().isNotFound();
        bob.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping).exchange()
                .expectStatus().isNotFound();
        refused(404, 900331L, () -> bob.post().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}/regenerate-secret",
                app, mapping).exchange());
        refused(404, 900331L, () -> bob.delete().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping)
                .exchange());
        refused(404, 900331L, () -> bob.put().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("supportedGrantTypes", List.of("client_credentials")))).exchange());
        refused(404, 900307L, () -> generate(alice, "00000000-0000-0000-0000-000000000000",
                generateBody("PRODUCTION", List.of("client_credentials"), null)));
    }

    @Test
    void theOwnerRegeneratesUpdatesAndRemovesKeys() {
        WebTestClient alice = signUp("alice-" + unique());
        String app = createApp(alice);
        JsonNode key = generated(alice, app, "PRODUCTION");
        String mapping = text(key, "keyMappingId");

        JsonNode regenerated = tree(alice.post().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}/regenerate-secret",
                app, mapping).exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(text(regenerated, "consumerKey")).isEqualTo(text(key, "consumerKey"));
        String secret = text(regenerated, "consumerSecret");
        assertThat(secret).isNotBlank().isNotEqualTo(text(key, "consumerSecret"));
        assertThat(lastKeyEventPayload("ConsumerSecretRegenerated")).contains("$argon2").doesNotContain(secret);

        Map<String, Object> update = new LinkedHashMap<>();
        update.put("supportedGrantTypes", List.of("authorization_code", "refresh_token"));
        update.put("callbackUrl", "https://app.example.com/callback");
        update.put("additionalProperties", Map.of("application_access_token_expiry_time", "7200"));
        JsonNode updated = tree(alice.put().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(update)).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(text(updated, "callbackUrl")).isEqualTo("https://app.example.com/callback");
        assertThat(updated.has("consumerSecret")).isFalse();
        JsonNode read = tree(alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(read.get("supportedGrantTypes").toString()).contains("authorization_code", "refresh_token")
                .doesNotContain("client_credentials");
        assertThat(read.get("additionalProperties").get("application_access_token_expiry_time").asString())
                .isEqualTo("7200");

        Map<String, Object> invalid = Map.of("supportedGrantTypes", List.of("implicit"));
        refused(400, null, () -> alice.put().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(invalid)).exchange());

        alice.delete().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping).exchange()
                .expectStatus().isOk();
        assertThat(queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = ? AND aggregate_identifier = ?",
                "dev.apim.domain.keys.event.ApplicationKeysRemoved", "keys:" + mapping)).isEqualTo(1);
        alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, mapping).exchange()
                .expectStatus().isNotFound();
        JsonNode list = tree(alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys", app).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isZero();
    }

    @Test
    void deletingTheApplicationRevokesItsKeys() {
        WebTestClient erin = signUp("erin-" + unique());
        String applicationId = createApp(erin);
        JsonNode key = generated(erin, applicationId, "PRODUCTION");
        String consumerKey = text(key, "consumerKey");
        erin.delete().uri("/api/am/devportal/v3/applications/{id}", applicationId).exchange().expectStatus().isOk();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(queryLong("SELECT count(*) FROM apimgtdb.application_keys WHERE consumer_key = ? "
                        + "AND state = 'REVOKED'", consumerKey)).isEqualTo(1));
        assertThat(queryLong("SELECT count(*) FROM event_store.domain_event_entry WHERE payload_type = "
                + "'dev.apim.domain.keys.event.ApplicationKeysRevoked' AND aggregate_identifier = ?",
                "keys:" + text(key, "keyMappingId"))).isEqualTo(1);
    }

    @Test
    void afterRemovingItsKeysAnApplicationGeneratesNewOnesOfThatType() {
        WebTestClient alice = signUp("alice-" + unique());
        String app = createApp(alice);
        JsonNode first = generated(alice, app, "PRODUCTION");
        String firstMapping = text(first, "keyMappingId");
        refused(409, 901408L, () -> generate(alice, app, generateBody("PRODUCTION", List.of("client_credentials"),
                null)));

        alice.delete().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, firstMapping).exchange()
                .expectStatus().isOk();
        assertThat(queryLong("SELECT count(*) FROM event_store.application_keys_claim WHERE application_id = ?", app))
                .isZero();
        JsonNode second = generated(alice, app, "PRODUCTION");
        assertThat(text(second, "keyMappingId")).isNotEqualTo(firstMapping);
        assertThat(text(second, "consumerKey")).isNotEqualTo(text(first, "consumerKey"));
        assertThat(text(second, "consumerSecret")).isNotEqualTo(text(first, "consumerSecret"));
        assertThat(queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = ? AND aggregate_identifier = ?",
                "dev.apim.domain.keys.event.ApplicationKeysGenerated", "keys:" + text(second, "keyMappingId")))
                .isEqualTo(1);

        JsonNode list = tree(alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys", app).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(1);
        assertThat(text(list.get("list").get(0), "consumerKey")).isEqualTo(text(second, "consumerKey"));
        alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}", app, firstMapping).exchange()
                .expectStatus().isNotFound();

        // the new mapping is as live as the first one was: a further generate is refused again
        refused(409, 901408L, () -> generate(alice, app, generateBody("PRODUCTION", List.of("client_credentials"),
                null)));
        alice.post().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}/regenerate-secret", app,
                text(second, "keyMappingId")).exchange().expectStatus().isOk();
    }

    @Test
    void ofConcurrentGeneratesExactlyOneSucceeds() throws Exception {
        WebTestClient alice = signUp("alice-" + unique());
        String app = createApp(alice);
        long before = keyEvents();
        int n = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<EntityStatus>> calls = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    var result = generate(alice, app, generateBody("PRODUCTION", List.of("client_credentials"),
                            null)).expectBody().returnResult();
                    return new EntityStatus(result.getStatus().value(), result.getResponseBody());
                }));
            }
            go.countDown();
            int ok = 0;
            for (var call : calls) {
                EntityStatus answer = call.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (answer.status() == 200) {
                    ok++;
                } else {
                    assertThat(answer.status()).isEqualTo(409);
                    assertWso2Error(answer.body(), 901408L);
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(keyEvents()).isEqualTo(before + 1);
        assertThat(queryLong("SELECT count(*) FROM event_store.application_keys_claim WHERE application_id = ?", app))
                .isEqualTo(1);
        JsonNode list = tree(alice.get().uri(DEVPORTAL + "/applications/{id}/oauth-keys", app).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(1);
    }

    record EntityStatus(int status, byte[] body) {}
}
