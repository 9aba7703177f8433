package dev.apim.launcher;

import dev.apim.domain.common.Tenants;
import dev.apim.domain.user.RegisterUser;
import dev.apim.domain.user.User;
import dev.apim.platform.security.PasswordHashing;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only administrators reach the Admin API: a subscriber (no apim:admin, apim:tier_view or apim:tier_manage) gets
 * WSO2's insufficient-scope 403 on every policy endpoint.
 */
class ThrottlePolicyAccessTest extends LauncherTestBase {

    @Autowired
    CommandGateway commands;

    @Test
    void aNonAdminUserIsForbidden() {
        String username = "sub" + unique();
        String password = "Sub-Secret-" + unique();
        commands.sendAndWait(new RegisterUser(User.idOf(Tenants.SUPER_TENANT, username), Tenants.SUPER_TENANT,
                username, PasswordHashing.hash(password), Set.of("subscriber")));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                queryLong("SELECT count(*) FROM shareddb.um_user WHERE username = ?", username) == 1);
        WebTestClient subscriber = as(username, password);

        String base = ThrottlePolicyAdminTest.POLICIES;
        String someId = "00000000-0000-0000-0000-000000000000";
        long before = eventCount();
        for (String level : List.of("application", "subscription", "advanced")) {
            List<WebTestClient.ResponseSpec> calls = List.of(
                    subscriber.get().uri(base + "/" + level).exchange(),
                    subscriber.get().uri(base + "/" + level + "/" + someId).exchange(),
                    subscriber.post().uri(base + "/" + level).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(json(ThrottlePolicyAdminTest.applicationBody("Nope" + unique(), 5))).exchange(),
                    subscriber.put().uri(base + "/" + level + "/" + someId).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(json(ThrottlePolicyAdminTest.applicationBody("Nope" + unique(), 5))).exchange(),
                    subscriber.delete().uri(base + "/" + level + "/" + someId).exchange());
            for (WebTestClient.ResponseSpec call : calls) {
                byte[] body = call.expectStatus().isForbidden().expectBody().returnResult().getResponseBody();
                assertWso2Error(body, 900910L);
            }
        }
        assertThat(eventCount()).isEqualTo(before);
        // the admin still reaches it
        client.get().uri(base + "/application").exchange().expectStatus().isOk();
    }
}
