package dev.apim.platform.jwt;

import dev.apim.domain.keys.KeyType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apim.platform.jwt.InvalidTokenException.Reason;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    static final String ISS = "https://km.apim.test/oauth2/token";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final ApplicationClaim APP = new ApplicationClaim("42", "6f1c2b7e-7d0a-4a52-9a8e-1f0e4f7f2a11",
            "DefaultApplication", "Unlimited", "admin");

    static SigningKeyRing ring;
    static final ObjectMapper JSON = new ObjectMapper();

    final JwtTestClock clock = new JwtTestClock(T0);

    @BeforeAll
    static void keys() {
        ring = new SigningKeyRing(Duration.ofDays(30), Duration.ofHours(1), Duration.ofHours(1));
        ring.ensureKeys(T0.minus(Duration.ofDays(1)));
    }

    JwtIssuer issuer() {
        return new JwtIssuer(ISS, ring::signingKey, clock);
    }

    JwtVerifier.Builder verifier() {
        return JwtVerifier.builder(ISS, KeyResolver.of(ring::publishedKeys)).clock(clock);
    }

    static TokenRequest request() {
        return new TokenRequest("admin@carbon.super", "ck-123", "ck-123", List.of("default", "apim:subscribe"),
                KeyType.PRODUCTION, AuthorizedUserType.APPLICATION_USER, APP, Duration.ofHours(1));
    }

    static Map<String, Object> part(String token, int i) throws Exception {
        return JSON.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[i]), Map.class);
    }

    static String b64(Object json) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
    }

    static void assertRejected(JwtVerifier v, String token, Reason reason) {
        assertThatThrownBy(() -> v.verify(token))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void roundTripCarriesAllWso2Claims() throws Exception {
        IssuedToken issued = issuer().issue(request());

        Map<String, Object> header = part(issued.token(), 0);
        assertThat(header).containsEntry("alg", "RS256").containsEntry("typ", "JWT")
                .containsEntry("kid", ring.signingKey().kid());
        Map<String, Object> payload = part(issued.token(), 1);
        assertThat(payload).containsKeys("iss", "sub", "aud", "azp", "scope", "jti", "iat", "nbf", "exp", "keytype",
                "aut", "application");
        assertThat(payload).containsEntry("aud", "ck-123").containsEntry("azp", "ck-123")
                .containsEntry("scope", "default apim:subscribe").containsEntry("keytype", "PRODUCTION")
                .containsEntry("aut", "APPLICATION_USER").containsEntry("iss", ISS)
                .containsEntry("iat", (int) T0.getEpochSecond()).containsEntry("nbf", (int) T0.getEpochSecond())
                .containsEntry("exp", (int) T0.plusSeconds(3600).getEpochSecond());
        assertThat((Map<String, Object>) payload.get("application")).containsEntry("id", 42)
                .containsEntry("uuid", APP.uuid()).containsEntry("name", "DefaultApplication")
                .containsEntry("tier", "Unlimited").containsEntry("owner", "admin");

        VerifiedToken v = verifier().audience("ck-123").build().verify(issued.token());
        assertThat(v.subject()).isEqualTo("admin@carbon.super");
        assertThat(v.authorizedParty()).isEqualTo("ck-123");
        assertThat(v.scopes()).containsExactlyInAnyOrder("default", "apim:subscribe");
        assertThat(v.keyType()).isEqualTo(KeyType.PRODUCTION);
        assertThat(v.authorizedUserType()).isEqualTo(AuthorizedUserType.APPLICATION_USER);
        assertThat(v.application()).isEqualTo(APP);
        assertThat(v.jti()).isEqualTo(issued.jti());
        assertThat(v.audience()).containsExactly("ck-123");
        assertThat(v.keyId()).isEqualTo(ring.signingKey().kid());
        assertThat(v.issuedAt()).isEqualTo(T0);
        assertThat(v.expiresAt()).isEqualTo(T0.plusSeconds(3600)).isEqualTo(issued.expiresAt());
    }

    @Test
    void eachTokenHasItsOwnJti() {
        assertThat(issuer().issue(request()).jti()).isNotEqualTo(issuer().issue(request()).jti());
    }

    @Test
    void algNoneUnsignedTokenIsRejected() throws Exception {
        Map<String, Object> payload = part(issuer().issue(request()).token(), 1);
        String token = b64(Map.of("alg", "none", "typ", "JWT", "kid", ring.signingKey().kid())) + "." + b64(payload)
                + ".";
        assertRejected(verifier().build(), token, Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyIsRejected() throws Exception {
        SigningKey key = ring.signingKey();
        Map<String, Object> payload = part(issuer().issue(request()).token(), 1);
        String signingInput = b64(Map.of("alg", "HS256", "typ", "JWT", "kid", key.kid())) + "." + b64(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.publicKey().getEncoded(), "HmacSHA256"));
        String sig = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        assertRejected(verifier().build(), signingInput + "." + sig, Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void unknownKidIsRejectedAfterOneRefresh() {
        SigningKey stranger = SigningKey.generate(T0).activate(T0);
        String token = new JwtIssuer(ISS, () -> stranger, clock).issue(request()).token();
        AtomicInteger refreshes = new AtomicInteger();
        KeyResolver resolver = new KeyResolver() {
            @Override
            public Optional<java.security.interfaces.RSAPublicKey> find(String kid) {
                return KeyResolver.of(ring::publishedKeys).find(kid);
            }

            @Override
            public void refresh() {
                refreshes.incrementAndGet();
            }
        };
        assertRejected(JwtVerifier.builder(ISS, resolver).clock(clock).build(), token, Reason.UNKNOWN_KEY);
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void kidPublishedByTheRefreshIsAccepted() {
        SigningKey fresh = SigningKey.generate(T0).activate(T0);
        String token = new JwtIssuer(ISS, () -> fresh, clock).issue(request()).token();
        AtomicInteger refreshes = new AtomicInteger();
        KeyResolver resolver = new KeyResolver() {
            @Override
            public Optional<java.security.interfaces.RSAPublicKey> find(String kid) {
                return refreshes.get() > 0 && kid.equals(fresh.kid()) ? Optional.of(fresh.publicKey())
                        : Optional.empty();
            }

            @Override
            public void refresh() {
                refreshes.incrementAndGet();
            }
        };
        assertThat(JwtVerifier.builder(ISS, resolver).clock(clock).build().verify(token).keyId())
                .isEqualTo(fresh.kid());
    }

    @Test
    void expiredTokenIsRejected() {
        String token = issuer().issue(request()).token();
        clock.advance(Duration.ofHours(1).plusSeconds(31));
        assertRejected(verifier().build(), token, Reason.EXPIRED);
    }

    @Test
    void expiryWithinClockSkewIsTolerated() {
        String token = issuer().issue(request()).token();
        clock.advance(Duration.ofHours(1).plusSeconds(29));
        assertThat(verifier().build().verify(token)).isNotNull();
    }

    @Test
    void notYetValidBeyondSkewIsRejected() {
        String token = issuer().issue(request()).token();
        clock.set(T0.minusSeconds(31));
        assertRejected(verifier().build(), token, Reason.NOT_YET_VALID);
    }

    @Test
    void wrongIssuerIsRejected() {
        String token = new JwtIssuer("https://evil.example/oauth2/token", ring::signingKey, clock)
                .issue(request()).token();
        assertRejected(verifier().build(), token, Reason.WRONG_ISSUER);
    }

    @Test
    void issuerMustMatchExactly() {
        String token = new JwtIssuer(ISS + "/", ring::signingKey, clock).issue(request()).token();
        assertRejected(verifier().build(), token, Reason.WRONG_ISSUER);
    }

    @Test
    void wrongAudienceIsRejectedWhenAudienceIsRequired() {
        String token = issuer().issue(request()).token();
        assertRejected(verifier().audience("other-ck").build(), token, Reason.WRONG_AUDIENCE);
    }

    @Test
    void payloadTamperedAfterSigningIsRejected() throws Exception {
        String[] parts = issuer().issue(request()).token().split("\\.");
        ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        payload.put("keytype", "SANDBOX");
        payload.put("scope", "default apim:admin");
        String tampered = parts[0] + "." + b64(payload) + "." + parts[2];
        assertRejected(verifier().build(), tampered, Reason.BAD_SIGNATURE);
    }

    @Test
    void signatureByAnotherKeyUnderAKnownKidIsRejected() {
        SigningKey impostor = new SigningKey(ring.signingKey().kid(), SigningKey.generateKeyPair(),
                SigningKey.State.ACTIVE, T0, T0, null, null);
        String token = new JwtIssuer(ISS, () -> impostor, clock).issue(request()).token();
        assertRejected(verifier().build(), token, Reason.BAD_SIGNATURE);
    }

    @Test
    void revokedJtiIsRejected() {
        IssuedToken issued = issuer().issue(request());
        IssuedToken other = issuer().issue(request());
        JwtVerifier v = verifier().revokedJti(Set.of(issued.jti())::contains).build();
        assertRejected(v, issued.token(), Reason.REVOKED);
        assertThat(v.verify(other.token()).jti()).isEqualTo(other.jti());
    }

    @Test
    void tokensOfAConsumerKeyIssuedBeforeItsRevocationAreRejected() {
        String before = issuer().issue(request()).token();
        Instant revokedAt = T0.plusSeconds(10);
        clock.set(revokedAt.plusSeconds(1));
        String after = issuer().issue(request()).token();
        JwtVerifier v = verifier()
                .consumerKeyRevocations(ck -> ck.equals("ck-123") ? Optional.of(revokedAt) : Optional.empty())
                .build();
        assertRejected(v, before, Reason.REVOKED);
        assertThat(v.verify(after).subject()).isEqualTo("admin@carbon.super");
    }

    @Test
    void es256AndOtherAlgorithmsAreRejectedBeforeKeyLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        KeyResolver counting = kid -> {
            lookups.incrementAndGet();
            return Optional.of(ring.signingKey().publicKey());
        };
        JwtVerifier v = JwtVerifier.builder(ISS, counting).clock(clock).build();
        Map<String, Object> payload = part(issuer().issue(request()).token(), 1);
        for (String alg : List.of("ES256", "PS256", "RS384", "HS512", "NONE")) {
            String token = b64(Map.of("alg", alg, "kid", ring.signingKey().kid())) + "." + b64(payload) + ".c2ln";
            assertRejected(v, token, Reason.UNSUPPORTED_ALGORITHM);
        }
        assertThat(lookups).hasValue(0);
    }

    @Test
    void garbageIsMalformed() {
        JwtVerifier v = verifier().build();
        assertRejected(v, "not-a-jwt", Reason.MALFORMED);
        assertRejected(v, "a.b.c", Reason.MALFORMED);
        assertRejected(v, "", Reason.MALFORMED);
    }

    @Test
    void duplicateAlgHeaderIsMalformed() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"RS256\",\"alg\":\"HS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_8));
        assertRejected(verifier().build(), header + ".e30.c2ln", Reason.MALFORMED);
    }

    @Test
    void tokenWithoutExpiryIsMalformed() {
        SigningKey key = ring.signingKey();
        String token = Jwts.builder().header().keyId(key.kid()).and().issuer(ISS).subject("x").id("j")
                .issuedAt(Date.from(T0)).signWith(key.privateKey(), Jwts.SIG.RS256).compact();
        assertRejected(verifier().build(), token, Reason.MALFORMED);
    }
}
