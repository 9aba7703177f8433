package dev.apim.launcher;

import dev.apim.command.oauth.keys.SigningKeys;
import dev.apim.platform.jwt.SigningKey;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every forged or doctored bearer token is refused by the management APIs (401, WSO2's 900901, no event) and
 * introspects as inactive: {@code alg: none}, HS256 keyed with our RSA public key, an unknown {@code kid}, expired,
 * not yet valid, a wrong issuer, a tampered payload. The control case — the same claims properly signed — passes.
 */
class ForgedTokenTest extends LauncherTestBase {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Autowired
    SigningKeys signingKeys;

    private SigningKey active() {
        return signingKeys.publishedKeys().stream().filter(k -> k.state() == SigningKey.State.ACTIVE).findFirst()
                .orElseThrow();
    }

    private Map<String, Object> claims(Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", signingKeys.issuer());
        claims.put("sub", ADMIN);
        claims.put("aud", testClient().clientId());
        claims.put("azp", testClient().clientId());
        claims.put("scope", "apim:api_view");
        claims.put("keytype", "PRODUCTION");
        claims.put("aut", "APPLICATION_USER");
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(600).getEpochSecond());
        return claims;
    }

    private static String signed(String kid, PrivateKey key, Map<String, Object> claims) {
        return Jwts.builder().header().keyId(kid).type("JWT").and()
                .claims(claims)
                .signWith(key, Jwts.SIG.RS256)
                .compact();
    }

    private static String part(Object value) {
        return B64.encodeToString(JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8));
    }

    private void refused(String token) {
        long before = eventCount();
        byte[] body = anonymous.get().uri(PUBLISHER + "/apis").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isUnauthorized().expectBody().returnResult().getResponseBody();
        assertWso2Error(body, 900901L);
        assertThat(eventCount()).isEqualTo(before);
        JsonNode introspection = tree(anonymous.post().uri("/oauth2/introspect")
                .headers(h -> h.setBasicAuth(testClient().clientId(), testClient().clientSecret()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("token=" + token).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(introspection.get("active").asBoolean()).isFalse();
    }

    @Test
    void theControlTokenIsAccepted() {
        SigningKey key = active();
        String token = signed(key.kid(), key.privateKey(), claims(Instant.now()));
        anonymous.get().uri(PUBLISHER + "/apis").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk();
    }

    @Test
    void algNoneIsRefused() {
        String header = part(Map.of("alg", "none", "typ", "JWT", "kid", active().kid()));
        refused(header + "." + part(claims(Instant.now())) + ".");
    }

    @Test
    void hs256KeyedWithOurPublicKeyIsRefused() throws Exception {
        SigningKey key = active();
        String input = part(Map.of("alg", "HS256", "typ", "JWT", "kid", key.kid())) + "." + part(claims(Instant.now()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.publicKey().getEncoded(), "HmacSHA256"));
        refused(input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void anUnknownKidIsRefused() {
        SigningKey stranger = SigningKey.generate(Instant.now());
        refused(signed("unknown-" + UUID.randomUUID(), stranger.privateKey(), claims(Instant.now())));
        // A key we do not know, even under our kid, fails the signature.
        refused(signed(active().kid(), stranger.privateKey(), claims(Instant.now())));
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant longAgo = Instant.now().minusSeconds(7200);
        Map<String, Object> claims = claims(longAgo);
        claims.put("exp", Instant.now().minusSeconds(120).getEpochSecond());
        SigningKey key = active();
        refused(signed(key.kid(), key.privateKey(), claims));
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        Map<String, Object> claims = claims(Instant.now());
        claims.put("nbf", Instant.now().plusSeconds(300).getEpochSecond());
        SigningKey key = active();
        refused(signed(key.kid(), key.privateKey(), claims));
    }

    @Test
    void aWrongIssuerIsRefused() {
        Map<String, Object> claims = claims(Instant.now());
        claims.put("iss", "https://evil.example.com/oauth2/token");
        SigningKey key = active();
        refused(signed(key.kid(), key.privateKey(), claims));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String real = passwordGrant(ADMIN, ADMIN_PASSWORD, "apim:api_view");
        String[] parts = real.split("\\.");
        JsonNode original = LauncherTestBase.claims(real);
        Map<String, Object> widened = JSON.convertValue(original, Map.class);
        widened.put("scope", "apim:api_view apim:admin apim:api_create");
        refused(parts[0] + "." + part(widened) + "." + parts[2]);
    }
}
