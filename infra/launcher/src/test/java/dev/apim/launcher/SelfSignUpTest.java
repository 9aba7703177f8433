package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** WSO2 self sign-up: a new subscriber can log in; invalid or duplicate sign-ups write nothing. */
class SelfSignUpTest extends LauncherTestBase {

    static final String SIGN_UP = ApplicationsTest.SIGN_UP;

    private JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    private WebTestClient.ResponseSpec post(Object body) {
        return anonymous.post().uri(SIGN_UP).contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange();
    }

    @Test
    void aSignedUpUserIsASubscriberWithAHashedPassword() {
        String username = "dave-" + unique();
        post(ApplicationsTest.signUpBody(username, "Passw0rd-long")).expectStatus().isCreated();
        as(username, "Passw0rd-long").get().uri("/api/am/devportal/v3/applications")
                .exchange().expectStatus().isOk();
        tokenRequest(testClient(), Map.of("grant_type", "password", "username", username,
                "password", "wrong-passw0rd")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("invalid_grant");
        var rows = queryRows("SELECT payload FROM " + EVENTS + " WHERE aggregate_identifier = ?",
                "user:carbon.super:" + username);
        assertThat(rows).hasSize(1);
        String payload = (String) rows.get(0).get("payload");
        assertThat(payload).contains("subscriber").doesNotContain("Passw0rd-long");
    }

    @Test
    void anExistingUsernameIsAConflictAndWritesNoSecondEvent() {
        String username = "erin-" + unique();
        post(ApplicationsTest.signUpBody(username, "Passw0rd-one")).expectStatus().isCreated();
        refused(409, 900300L, () -> post(ApplicationsTest.signUpBody(username, "Passw0rd-two")));
        refused(409, 900300L, () -> post(ApplicationsTest.signUpBody(ADMIN, "Passw0rd-two")));
        assertThat(queryLong("SELECT count(*) FROM " + EVENTS + " WHERE aggregate_identifier = ?",
                "user:carbon.super:" + username)).isEqualTo(1);
    }

    @Test
    void weakPasswordsAreRefused() {
        for (String weak : List.of("short1a", "onlyletters", "1234567890", "a1" + "x".repeat(63))) {
            refused(400, 901452L, () -> post(ApplicationsTest.signUpBody("frank-" + unique(), weak)));
        }
    }

    @Test
    void malformedSignUpsAreRefused() {
        refused(400, 900400L, () -> post(ApplicationsTest.signUpBody("x", "Passw0rd-ok")));
        refused(400, 900400L, () -> post(ApplicationsTest.signUpBody("bad name " + unique(), "Passw0rd-ok")));
        refused(400, 900400L, () -> post(Map.of("properties", List.of())));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", "gina-" + unique());
        user.put("realm", "SECONDARY");
        user.put("password", "Passw0rd-ok");
        refused(400, 900400L, () -> post(Map.of("user", user)));
        user.put("realm", "PRIMARY");
        user.put("role", "admin");
        refused(400, 400L, () -> post(Map.of("user", user)));
    }
}
