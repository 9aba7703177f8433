package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /me/change-password}: the old password stops working, the new one works; bad input is refused. */
class ChangePasswordTest extends LauncherTestBase {

    private static final String CHANGE = "/api/am/devportal/v3/me/change-password";

    @Test
    void a_user_changes_their_password() {
        String username = "dave-" + unique();
        String oldPassword = "Old-pass-" + unique() + "1";
        anonymous.post().uri("/api/identity/user/v1.0/me").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("user", Map.of("username", username, "realm", "PRIMARY",
                        "password", oldPassword, "claims", List.of()), "properties", List.of())))
                .exchange().expectStatus().isCreated();
        WebTestClient dave = as(username, oldPassword);

        long before = eventCount();
        byte[] wrong = dave.post().uri(CHANGE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("currentPassword", "not-it-1", "newPassword", "New-pass-42")))
                .exchange().expectStatus().isBadRequest().expectBody().returnResult().getResponseBody();
        assertWso2Error(wrong, 901451L);
        byte[] weak = dave.post().uri(CHANGE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("currentPassword", oldPassword, "newPassword", "short")))
                .exchange().expectStatus().isBadRequest().expectBody().returnResult().getResponseBody();
        assertWso2Error(weak, 901452L);
        dave.post().uri(CHANGE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("currentPassword", oldPassword, "newPassword", "New-pass-42", "extra", 1)))
                .exchange().expectStatus().isBadRequest();
        assertThat(eventCount()).isEqualTo(before);

        sleepPastSecond(); // JWT iat has whole seconds: change the password in a later second than dave's token
        dave.post().uri(CHANGE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("currentPassword", oldPassword, "newPassword", "New-pass-42")))
                .exchange().expectStatus().isOk();
        String stored = queryRows("SELECT meta_data, payload FROM event_store.domain_event_entry WHERE payload_type = "
                + "'dev.apim.domain.user.UserPasswordChanged' AND aggregate_identifier = ?",
                "user:carbon.super:" + username).get(0).get("payload").toString();
        assertThat(stored).doesNotContain("New-pass-42").contains("$argon2id$");

        // The token issued before the change is dead, and the old password no longer gets one.
        dave.get().uri("/api/am/devportal/v3/applications").exchange().expectStatus().isUnauthorized();
        tokenRequest(testClient(), Map.of("grant_type", "password", "username", username,
                "password", oldPassword)).expectStatus().isBadRequest();
        as(username, "New-pass-42")
                .get().uri("/api/am/devportal/v3/applications").exchange().expectStatus().isOk();
    }

    private static void sleepPastSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
