package dev.apim.launcher;

import dev.apim.domain.common.Tenants;
import dev.apim.domain.user.LockUser;
import dev.apim.domain.user.User;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Key Manager end to end: WSO2's script flow (DCR → password grant → Publisher → Developer Portal →
 * generate-keys → client-credentials token naming the application), scope narrowing and enforcement, RFC 7009
 * revocation and RFC 7662 introspection, refresh-token rotation and reuse detection, client authentication,
 * locked users and brute-force lockout.
 */
class KeyManagerTest extends LauncherTestBase {

    static final String DEVPORTAL = "/api/am/devportal/v3";

    @Autowired
    CommandGateway commandGateway;

    // ---- helpers ----

    String newUser(String... roles) {
        return TestUsers.register(commandGateway, "km-" + unique(), roles);
    }

    JsonNode tokenOk(ClientKeys keys, Map<String, String> form) {
        return tree(tokenRequest(keys, form).expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody().returnResult());
    }

    JsonNode oauthError(WebTestClient.ResponseSpec response, int status, String error) {
        JsonNode body = tree(response.expectStatus().isEqualTo(status).expectBody().returnResult());
        assertThat(text(body, "error")).isEqualTo(error);
        assertThat(body.get("error_description")).isNotNull();
        return body;
    }

    WebTestClient.ResponseSpec form(String path, ClientKeys keys, Map<String, String> values) {
        var data = new LinkedMultiValueMap<String, String>();
        values.forEach(data::add);
        return anonymous.post().uri(path)
                .headers(h -> h.setBasicAuth(keys.clientId(), keys.clientSecret()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(data)).exchange();
    }

    JsonNode introspect(ClientKeys keys, String token) {
        return tree(form("/oauth2/introspect", keys, Map.of("token", token)).expectStatus().isOk()
                .expectBody().returnResult());
    }

    WebTestClient bearer(String token) {
        return anonymous.mutate().defaultHeaders(h -> h.setBearerAuth(token)).build();
    }

    /** An application of {@code as} with PRODUCTION keys allowing client_credentials; returns [appId, key, secret]. */
    String[] appWithKeys(WebTestClient as, String name) {
        String appId = text(tree(ApplicationsTest.createApp(as, ApplicationsTest.appBody(name))), "applicationId");
        JsonNode keys = ApplicationKeysTest.generated(as, appId, "PRODUCTION");
        return new String[] {appId, text(keys, "consumerKey"), text(keys, "consumerSecret"), text(keys, "keyMappingId")};
    }

    // ---- the WSO2 flow ----

    @Test
    void wso2ScriptFlowEndsWithAClientCredentialsTokenNamingTheApplication() {
        String suffix = unique();
        ClientKeys dcr = register(ADMIN, ADMIN_PASSWORD, "flow_" + suffix, "password refresh_token");
        JsonNode grant = tokenOk(dcr, Map.of("grant_type", "password", "username", ADMIN, "password", ADMIN_PASSWORD,
                "scope", "apim:api_view apim:api_create apim:api_publish apim:subscribe apim:app_manage "
                        + "apim:sub_manage"));
        assertThat(text(grant, "token_type")).isEqualTo("Bearer");
        assertThat(grant.get("refresh_token")).isNotNull();
        assertThat(text(grant, "scope").split(" ")).contains("apim:api_create", "apim:api_publish");
        WebTestClient admin = bearer(text(grant, "access_token"));

        String apiId = text(tree(admin.post().uri(PUBLISHER + "/apis").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Flow" + suffix, "/flow-" + suffix, "1.0.0"))).exchange()
                .expectStatus().isCreated().expectBody().returnResult()), "id");
        admin.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId).exchange()
                .expectStatus().isOk();
        String[] app = appWithKeys(admin, "FlowApp " + suffix);
        admin.post().uri(DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("apiId", apiId, "applicationId", app[0], "throttlingPolicy", "Unlimited")))
                .exchange().expectStatus().isCreated();

        ClientKeys appKeys = new ClientKeys(app[1], app[2]);
        JsonNode token = tokenOk(appKeys, Map.of("grant_type", "client_credentials"));
        assertThat(token.get("refresh_token")).as("no refresh token for client credentials").isNull();
        assertThat(token.get("expires_in").asLong()).isBetween(3500L, 3600L);
        String jwt = text(token, "access_token");
        JsonNode header = jwtHeader(jwt);
        assertThat(text(header, "alg")).isEqualTo("RS256");
        JsonNode claims = claims(jwt);
        assertThat(text(claims, "azp")).isEqualTo(app[1]);
        assertThat(text(claims, "sub")).isEqualTo(ADMIN);
        assertThat(text(claims, "keytype")).isEqualTo("PRODUCTION");
        assertThat(text(claims, "aut")).isEqualTo("APPLICATION");
        assertThat(text(claims.get("application"), "name")).isEqualTo("FlowApp " + suffix);
        assertThat(text(claims.get("application"), "uuid")).isEqualTo(app[0]);
        assertThat(text(claims.get("application"), "owner")).isEqualTo(ADMIN);
        for (String claim : List.of("iss", "aud", "scope", "jti", "iat", "nbf", "exp")) {
            assertThat(claims.get(claim)).as(claim).isNotNull();
        }
        // The signing key is published.
        JsonNode jwks = tree(anonymous.get().uri("/oauth2/jwks").exchange().expectStatus().isOk()
                .expectBody().returnResult());
        assertThat(jwks.get("keys").findValuesAsString("kid")).contains(text(header, "kid"));
    }

    // ---- scopes ----

    @Test
    void passwordGrantScopesAreNarrowedToTheUsersRolesAndEnforced() {
        String user = newUser("subscriber");
        JsonNode grant = tokenOk(testClient(), Map.of("grant_type", "password", "username", user,
                "password", TestUsers.PASSWORD, "scope", "apim:api_create apim:subscribe orders:read"));
        List<String> scopes = List.of(text(grant, "scope").split(" "));
        assertThat(scopes).contains("apim:subscribe", "orders:read").doesNotContain("apim:api_create");
        long before = eventCount();
        byte[] body = bearer(text(grant, "access_token")).post().uri(PUBLISHER + "/apis")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Scoped" + unique(), "/scoped-" + unique(), "1.0.0"))).exchange()
                .expectStatus().isForbidden().expectBody().returnResult().getResponseBody();
        assertWso2Error(body, 900910L);
        assertThat(eventCount()).isEqualTo(before);
        bearer(text(grant, "access_token")).get().uri(DEVPORTAL + "/applications").exchange()
                .expectStatus().isOk();
    }

    @Test
    void aTokenWithoutScopesGetsDefaultAndCannotCallThePublisher() {
        JsonNode grant = tokenOk(testClient(), Map.of("grant_type", "password", "username", ADMIN,
                "password", ADMIN_PASSWORD));
        assertThat(text(grant, "scope")).isEqualTo("default");
        bearer(text(grant, "access_token")).get().uri(PUBLISHER + "/apis").exchange()
                .expectStatus().isForbidden();
    }

    // ---- revocation and introspection ----

    @Test
    void introspectionAndRevocationFollowTheRfcs() {
        String[] app = appWithKeys(client, "Intro " + unique());
        ClientKeys keys = new ClientKeys(app[1], app[2]);
        String token = text(tokenOk(keys, Map.of("grant_type", "client_credentials", "scope", "apim:api_view")),
                "access_token");
        bearer(token).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isOk();

        JsonNode active = introspect(keys, token);
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(text(active, "client_id")).isEqualTo(app[1]);
        assertThat(text(active, "token_type")).isEqualTo("Bearer");
        assertThat(active.get("exp").asLong()).isGreaterThan(active.get("iat").asLong());
        assertThat(text(active, "scope")).isEqualTo("apim:api_view");
        // Another application's client learns nothing about it.
        String[] other = appWithKeys(client, "Other " + unique());
        assertThat(introspect(new ClientKeys(other[1], other[2]), token).get("active").asBoolean()).isFalse();
        // ... and may not revoke it.
        oauthError(form("/oauth2/revoke", new ClientKeys(other[1], other[2]), Map.of("token", token)), 400,
                "unauthorized_client");

        long before = eventCount();
        form("/oauth2/revoke", keys, Map.of("token", token, "token_type_hint", "access_token"))
                .expectStatus().isOk().expectHeader().valueEquals("Cache-Control", "no-store");
        assertThat(eventCount()).isEqualTo(before + 1);
        assertThat(introspect(keys, token).get("active").asBoolean()).isFalse();
        bearer(token).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isUnauthorized();
        // Revoking again, or revoking garbage, is a 200 that writes nothing (RFC 7009 §2.2).
        form("/oauth2/revoke", keys, Map.of("token", token)).expectStatus().isOk();
        form("/oauth2/revoke", keys, Map.of("token", "not-a-token")).expectStatus().isOk();
        assertThat(eventCount()).isEqualTo(before + 1);
        assertThat(introspect(keys, "not-a-token").get("active").asBoolean()).isFalse();
        // Revocation needs client authentication.
        oauthError(form("/oauth2/revoke", new ClientKeys(app[1], "wrong"), Map.of("token", token)), 401,
                "invalid_client");
        oauthError(anonymous.post().uri("/oauth2/introspect").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("token=" + token).exchange(), 401, "invalid_client");
    }

    @Test
    void tokensOfADeletedApplicationAreDead() {
        String[] app = appWithKeys(client, "Doomed " + unique());
        ClientKeys keys = new ClientKeys(app[1], app[2]);
        String token = text(tokenOk(keys, Map.of("grant_type", "client_credentials", "scope", "apim:api_view")),
                "access_token");
        bearer(token).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isOk();
        client.delete().uri(DEVPORTAL + "/applications/{id}", app[0]).exchange().expectStatus().isOk();
        bearer(token).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isUnauthorized();
        oauthError(tokenRequest(keys, Map.of("grant_type", "client_credentials")), 401, "invalid_client");
    }

    @Test
    void regeneratingTheConsumerSecretRevokesEarlierTokens() throws InterruptedException {
        String[] app = appWithKeys(client, "Regen " + unique());
        String old = text(tokenOk(new ClientKeys(app[1], app[2]), Map.of("grant_type", "client_credentials",
                "scope", "apim:api_view")), "access_token");
        bearer(old).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isOk();
        Thread.sleep(1100); // iat has whole seconds: regenerate in a later second than the old token
        String secret = text(tree(client.post().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}/regenerate-secret",
                app[0], app[3]).exchange().expectStatus().isOk().expectBody().returnResult()), "consumerSecret");
        // The cut-off is written by a process manager after the answer: wait for it.
        long deadline = System.currentTimeMillis() + 10_000;
        while (queryLong("SELECT count(*) FROM apimgtdb.oauth_client WHERE consumer_key = ? "
                + "AND tokens_revoked_before IS NOT NULL", app[1]) == 0) {
            assertThat(System.currentTimeMillis()).as("cut-off projected").isLessThan(deadline);
            Thread.sleep(20);
        }
        bearer(old).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isUnauthorized();
        oauthError(tokenRequest(new ClientKeys(app[1], app[2]), Map.of("grant_type", "client_credentials")), 401,
                "invalid_client");
        String fresh = text(tokenOk(new ClientKeys(app[1], secret), Map.of("grant_type", "client_credentials",
                "scope", "apim:api_view")), "access_token");
        bearer(fresh).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isOk();
        assertThat(queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = ? AND payload LIKE ?",
                "dev.apim.domain.keys.event.TokensRevokedIssuedBefore", "%" + app[1] + "%")).isEqualTo(1);
    }

    // ---- refresh tokens ----

    @Test
    void refreshTokensRotateAndReuseRevokesTheGrant() {
        JsonNode first = tokenOk(testClient(), Map.of("grant_type", "password", "username", ADMIN,
                "password", ADMIN_PASSWORD, "scope", "apim:api_view apim:api_create"));
        String refresh1 = text(first, "refresh_token");
        JsonNode second = tokenOk(testClient(), Map.of("grant_type", "refresh_token", "refresh_token", refresh1,
                "scope", "apim:api_view"));
        assertThat(text(second, "scope")).isEqualTo("apim:api_view");
        String refresh2 = text(second, "refresh_token");
        assertThat(refresh2).isNotEqualTo(refresh1);
        bearer(text(second, "access_token")).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isOk();
        // Widening on refresh is refused.
        oauthError(tokenRequest(testClient(), Map.of("grant_type", "refresh_token", "refresh_token", refresh2,
                "scope", "apim:admin")), 400, "invalid_scope");

        // Reusing the rotated token revokes the whole grant: the newer refresh and access tokens die too.
        oauthError(tokenRequest(testClient(), Map.of("grant_type", "refresh_token", "refresh_token", refresh1)),
                400, "invalid_grant");
        oauthError(tokenRequest(testClient(), Map.of("grant_type", "refresh_token", "refresh_token", refresh2)),
                400, "invalid_grant");
        bearer(text(second, "access_token")).get().uri(PUBLISHER + "/apis").exchange()
                .expectStatus().isUnauthorized();
        // A refresh token is bound to its client.
        ClientKeys other = register(ADMIN, ADMIN_PASSWORD, "other_" + unique(), "password refresh_token");
        String refresh3 = text(tokenOk(testClient(), Map.of("grant_type", "password", "username", ADMIN,
                "password", ADMIN_PASSWORD)), "refresh_token");
        oauthError(tokenRequest(other, Map.of("grant_type", "refresh_token", "refresh_token", refresh3)), 400,
                "invalid_grant");
    }

    // ---- client authentication and request validation ----

    @Test
    void clientAuthenticationFailuresAreInvalidClient() {
        String[] a = appWithKeys(client, "AuthA " + unique());
        String[] b = appWithKeys(client, "AuthB " + unique());
        oauthError(tokenRequest(new ClientKeys(a[1], "wrong-secret"), Map.of("grant_type", "client_credentials")),
                401, "invalid_client");
        oauthError(tokenRequest(new ClientKeys(a[1], b[2]), Map.of("grant_type", "client_credentials")),
                401, "invalid_client");
        oauthError(tokenRequest(new ClientKeys("unknown-client-" + unique(), b[2]),
                Map.of("grant_type", "client_credentials")), 401, "invalid_client");
        // client_secret_post works; mixing both methods is refused.
        anonymous.post().uri(TOKEN).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("grant_type=client_credentials&client_id=" + a[1] + "&client_secret=" + a[2])
                .exchange().expectStatus().isOk();
        oauthError(tokenRequest(new ClientKeys(a[1], a[2]), Map.of("grant_type", "client_credentials",
                "client_secret", a[2])), 400, "invalid_request");
    }

    @Test
    void badTokenRequestsAnswerRfc6749Errors() {
        String[] app = appWithKeys(client, "Bad " + unique());
        ClientKeys keys = new ClientKeys(app[1], app[2]);
        oauthError(tokenRequest(keys, Map.of()), 400, "invalid_request");
        oauthError(tokenRequest(keys, Map.of("grant_type", "authorization_code")), 400, "unsupported_grant_type");
        oauthError(tokenRequest(keys, Map.of("grant_type", "refresh_token", "refresh_token", "x")), 400,
                "unauthorized_client");
        oauthError(tokenRequest(keys, Map.of("grant_type", "client_credentials", "scope", "a  b")), 400,
                "invalid_scope");
        oauthError(anonymous.post().uri(TOKEN).headers(h -> h.setBasicAuth(keys.clientId(), keys.clientSecret()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grant_type\":\"client_credentials\"}")
                .exchange(), 400, "invalid_request");
        oauthError(anonymous.post().uri(TOKEN).headers(h -> h.setBasicAuth(keys.clientId(), keys.clientSecret()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("grant_type=client_credentials&grant_type=password").exchange(), 400, "invalid_request");
    }

    // ---- users ----

    @Test
    void passwordGrantRefusesUnknownAndLockedUsers() {
        oauthError(tokenRequest(testClient(), Map.of("grant_type", "password", "username", "nobody-" + unique(),
                "password", "whatever-1")), 400, "invalid_grant");
        String user = newUser("subscriber");
        String token = passwordGrant(user, TestUsers.PASSWORD, "apim:subscribe");
        commandGateway.sendAndWait(new LockUser(User.idOf(Tenants.SUPER_TENANT, user), true, "test"));
        awaitLocked(user);
        oauthError(tokenRequest(testClient(), Map.of("grant_type", "password", "username", user,
                "password", TestUsers.PASSWORD)), 400, "invalid_grant");
        bearer(token).get().uri(DEVPORTAL + "/applications").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void bruteForceOnTheTokenEndpointLocksTheAccount() {
        String user = newUser("subscriber");
        for (int i = 0; i < 5; i++) {
            oauthError(tokenRequest(testClient(), Map.of("grant_type", "password", "username", user,
                    "password", "guess-" + i)), 400, "invalid_grant");
        }
        // Now even the right password is refused without being checked, with a Retry-After.
        tokenRequest(testClient(), Map.of("grant_type", "password", "username", user, "password",
                TestUsers.PASSWORD)).expectStatus().isBadRequest().expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.error").isEqualTo("invalid_grant");

        String[] app = appWithKeys(client, "Brute " + unique());
        for (int i = 0; i < 5; i++) {
            oauthError(tokenRequest(new ClientKeys(app[1], "guess-" + i), Map.of("grant_type", "client_credentials")),
                    401, "invalid_client");
        }
        tokenRequest(new ClientKeys(app[1], app[2]), Map.of("grant_type", "client_credentials"))
                .expectStatus().isUnauthorized().expectHeader().exists("Retry-After");
    }

    // ---- DCR and generate-token ----

    @Test
    void dcrReRegistrationKeepsTheClientIdAndReplacesTheSecret() {
        String name = "rereg_" + unique();
        ClientKeys first = register(ADMIN, ADMIN_PASSWORD, name, "password refresh_token");
        ClientKeys second = register(ADMIN, ADMIN_PASSWORD, name, "password refresh_token");
        assertThat(second.clientId()).isEqualTo(first.clientId());
        assertThat(second.clientSecret()).isNotEqualTo(first.clientSecret());
        oauthError(tokenRequest(first, Map.of("grant_type", "password", "username", ADMIN, "password",
                ADMIN_PASSWORD)), 401, "invalid_client");
        tokenOk(second, Map.of("grant_type", "password", "username", ADMIN, "password", ADMIN_PASSWORD));

        // Only the owner (or an admin) registers for an owner; DCR needs Basic credentials; bodies are checked.
        String user = newUser("subscriber");
        anonymous.post().uri(DCR).headers(h -> h.setBasicAuth(user, TestUsers.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("clientName", "x_" + unique(), "owner", ADMIN, "grantType", "password")))
                .exchange().expectStatus().isForbidden();
        anonymous.post().uri(DCR).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("clientName", "x_" + unique(), "owner", ADMIN, "grantType", "password")))
                .exchange().expectStatus().isUnauthorized();
        long before = eventCount();
        for (Object body : List.of(Map.of("owner", ADMIN, "grantType", "password"),
                Map.of("clientName", "x_" + unique(), "grantType", "teleport"),
                Map.of("clientName", "x_" + unique(), "grantType", "password", "unknownField", 1))) {
            anonymous.post().uri(DCR).headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body))
                    .exchange().expectStatus().isBadRequest();
        }
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void generateTokenTradesTheConsumerSecretForAnAccessToken() {
        String[] app = appWithKeys(client, "Gen " + unique());
        String path = DEVPORTAL + "/applications/{id}/oauth-keys/{k}/generate-token";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("consumerSecret", app[2]);
        body.put("validityPeriod", 600);
        body.put("scopes", List.of("apim:api_view"));
        body.put("revokeToken", null);
        JsonNode token = tree(client.post().uri(path, app[0], app[3]).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(token.get("validityTime").asLong()).isEqualTo(600);
        assertThat(token.get("tokenScopes").get(0).asString()).isEqualTo("apim:api_view");
        assertThat(text(claims(text(token, "accessToken")), "azp")).isEqualTo(app[1]);
        // The earlier token can be revoked while generating the next one.
        body.put("revokeToken", text(token, "accessToken"));
        client.post().uri(path, app[0], app[3]).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange().expectStatus().isOk();
        bearer(text(token, "accessToken")).get().uri(PUBLISHER + "/apis").exchange().expectStatus().isUnauthorized();

        body.put("consumerSecret", "wrong");
        body.put("revokeToken", null);
        client.post().uri(path, app[0], app[3]).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange().expectStatus().isUnauthorized();
    }

    private static void awaitLocked(String user) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (queryLong("SELECT count(*) FROM shareddb.um_user WHERE username = ? AND locked", user) == 0) {
            assertThat(System.currentTimeMillis()).as("lock projected").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
