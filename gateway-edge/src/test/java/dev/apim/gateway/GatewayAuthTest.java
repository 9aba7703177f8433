package dev.apim.gateway;

import dev.apim.domain.keys.KeyType;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.gateway.model.Subscription;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.jwt.AuthorizedUserType;
import dev.apim.platform.jwt.IssuedToken;
import dev.apim.platform.jwt.JwtIssuer;
import dev.apim.platform.jwt.SigningKey;
import dev.apim.platform.jwt.TokenRequest;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayAuthTest extends GatewayTestBase {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void a_valid_token_reaches_the_backend_without_its_authorization_header() throws Exception {
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("authorization:");
    }

    @Test
    void a_missing_or_non_bearer_token_is_401_900902() throws Exception {
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(code(r)).isEqualTo("900902");
        assertThat(r.headers().firstValue("www-authenticate")).isPresent();
        HttpResponse<String> basic = send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/menu"))
                .header("Authorization", "Basic YWRtaW46YWRtaW4="), null);
        assertThat(code(basic)).isEqualTo("900902");
    }

    @Test
    void an_unsecured_resource_needs_no_token() throws Exception {
        HttpResponse<String> r = get("/pizzashack/1.0.0/public", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /prod/public\n");
    }

    @Test
    void alg_none_is_refused() throws Exception {
        String valid = prodToken();
        String[] parts = valid.split("\\.");
        String header = B64.encodeToString(("{\"alg\":\"none\",\"kid\":\"" + km.key().kid() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertInvalid(header + "." + parts[1] + ".");
    }

    @Test
    void hs256_signed_with_the_public_key_is_refused() throws Exception {
        String valid = prodToken();
        String[] parts = valid.split("\\.");
        String header = B64.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + km.key().kid() + "\",\"typ\":\"JWT\"}")
                .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(km.key().publicKey().getEncoded(), "HmacSHA256"));
        String signature = B64.encodeToString(mac.doFinal((header + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        assertInvalid(header + "." + parts[1] + "." + signature);
    }

    @Test
    void a_token_signed_by_a_key_not_in_the_jwks_is_refused() throws Exception {
        SigningKey stranger = TestKeyManager.newKey();
        assertInvalid(TestKeyManager.token(stranger, TestKeyManager.ISSUER, Clock.systemUTC(), PROD_KEY,
                KeyType.PRODUCTION, USER, List.of()));
    }

    @Test
    void a_newly_published_key_is_picked_up_on_its_first_token() throws Exception {
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        SigningKey next = TestKeyManager.newKey();
        km.published.add(next);
        try {
            Thread.sleep(250); // past the minimum gap between refreshes
            String token = TestKeyManager.token(next, TestKeyManager.ISSUER, Clock.systemUTC(), PROD_KEY,
                    KeyType.PRODUCTION, USER, List.of());
            assertThat(get("/pizzashack/1.0.0/menu", token).statusCode()).isEqualTo(200);
        } finally {
            km.published.remove(next);
        }
    }

    @Test
    void unknown_kids_do_not_make_the_gateway_hammer_the_jwks_endpoint() throws Exception {
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        int before = km.jwksFetches.get();
        for (int i = 0; i < 10; i++) {
            assertInvalid(TestKeyManager.token(TestKeyManager.newKeyCached(), TestKeyManager.ISSUER,
                    Clock.systemUTC(), PROD_KEY, KeyType.PRODUCTION, USER, List.of()));
        }
        assertThat(km.jwksFetches.get() - before).isLessThanOrEqualTo(2);
    }

    @Test
    void an_expired_token_is_refused() throws Exception {
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        assertInvalid(TestKeyManager.token(km.key(), TestKeyManager.ISSUER, twoHoursAgo, PROD_KEY,
                KeyType.PRODUCTION, USER, List.of()));
    }

    @Test
    void a_token_not_yet_valid_is_refused() throws Exception {
        Clock inAnHour = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        assertInvalid(TestKeyManager.token(km.key(), TestKeyManager.ISSUER, inAnHour, PROD_KEY,
                KeyType.PRODUCTION, USER, List.of()));
    }

    @Test
    void a_token_of_another_issuer_is_refused() throws Exception {
        assertInvalid(TestKeyManager.token(km.key(), "https://evil.test/oauth2/token", Clock.systemUTC(), PROD_KEY,
                KeyType.PRODUCTION, USER, List.of()));
    }

    @Test
    void a_tampered_token_is_refused() throws Exception {
        String[] parts = prodToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(USER, "admin@carbon.super");
        assertInvalid(parts[0] + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    }

    @Test
    void a_revoked_token_is_refused_even_after_it_was_accepted() throws Exception {
        IssuedToken issued = new JwtIssuer(TestKeyManager.ISSUER, km::key, Clock.systemUTC()).issue(
                new TokenRequest(USER, PROD_KEY, PROD_KEY, List.of(), KeyType.PRODUCTION,
                        AuthorizedUserType.APPLICATION, new ApplicationClaim("1", APP_ID, "App1", null, "alice"),
                        Duration.ofHours(1)));
        assertThat(get("/pizzashack/1.0.0/menu", issued.token()).statusCode()).isEqualTo(200);
        lookup.revoke(issued.jti());
        assertInvalid(issued.token());
    }

    @Test
    void a_token_of_an_inactive_consumer_key_is_refused() throws Exception {
        String token = prodToken();
        assertThat(get("/pizzashack/1.0.0/menu", token).statusCode()).isEqualTo(200);
        lookup.put(new KeyMapping(PROD_KEY, APP_ID, TENANT, KeyType.PRODUCTION, false));
        assertInvalid(token);
    }

    // ---- subscription

    @Test
    void no_subscription_is_403_900908() throws Exception {
        lookup.removeSubscription(APP_ID, API_ID);
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(code(r)).isEqualTo("900908");
    }

    @Test
    void a_blocked_subscription_refuses_both_key_types_with_900907() throws Exception {
        lookup.put(new Subscription("sub-1", API_ID, APP_ID, TENANT, null, "BLOCKED"));
        HttpResponse<String> prod = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(prod.statusCode()).isEqualTo(401);
        assertThat(code(prod)).isEqualTo("900907");
        assertThat(code(get("/pizzashack/1.0.0/menu", sandboxToken()))).isEqualTo("900907");
    }

    @Test
    void a_production_only_blocked_subscription_lets_sandbox_tokens_through() throws Exception {
        lookup.put(new Subscription("sub-1", API_ID, APP_ID, TENANT, null, "PROD_ONLY_BLOCKED"));
        assertThat(code(get("/pizzashack/1.0.0/menu", prodToken()))).isEqualTo("900907");
        HttpResponse<String> sandbox = get("/pizzashack/1.0.0/menu", sandboxToken());
        assertThat(sandbox.statusCode()).isEqualTo(200);
        assertThat(sandbox.body()).startsWith("GET /sandbox/menu\n");
    }

    @Test
    void a_subscription_on_hold_is_inactive_900909() throws Exception {
        lookup.put(new Subscription("sub-1", API_ID, APP_ID, TENANT, null, "ON_HOLD"));
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(code(r)).isEqualTo("900909");
    }

    // ---- scopes

    @Test
    void a_resource_with_scopes_needs_one_of_them_in_the_token() throws Exception {
        HttpResponse<String> without = send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")),
                km.token(PROD_KEY, KeyType.PRODUCTION, USER, List.of("order:read")));
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(code(without)).isEqualTo("900910");
        HttpResponse<String> with = send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")), prodToken());
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).startsWith("POST /prod/orders\n");
    }

    private String sandboxToken() {
        return km.token(SANDBOX_KEY, KeyType.SANDBOX, USER, List.of());
    }

    private void assertInvalid(String token) throws Exception {
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(code(r)).isEqualTo("900901");
        assertThat(r.body()).contains("\"message\":\"Invalid Credentials\"");
    }
}
