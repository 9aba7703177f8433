package dev.apim.gateway;

import dev.apim.testsupport.ManualClock;
import dev.apim.domain.keys.KeyType;
import dev.apim.gateway.auth.JwksKeyResolver;
import dev.apim.gateway.auth.TokenAuthenticator;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.jwt.AuthorizedUserType;
import dev.apim.platform.jwt.IssuedToken;
import dev.apim.platform.jwt.InvalidTokenException;
import dev.apim.platform.jwt.JwtIssuer;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.jwt.SigningKey;
import dev.apim.platform.jwt.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The verified-token cache of {@link TokenAuthenticator} skips the RSA check of a token seen before, but must not
 * outlive what made the token valid: its expiry, its revocation and the JWKS key that verified it.
 */
class TokenCacheTest {

    private static final String CONSUMER_KEY = "ck-cache";

    private TestKeyManager km;
    private JwksKeyResolver jwks;
    private ManualClock clock;
    private InMemoryGatewayLookup lookup;
    private TokenAuthenticator authenticator;

    @BeforeEach
    void setUp() {
        km = new TestKeyManager();
        clock = new ManualClock(Instant.now());
        jwks = new JwksKeyResolver(HttpClient.create(), km.jwksUrl(), Duration.ZERO, Duration.ofHours(1),
                Duration.ofSeconds(5), clock);
        jwks.fetchNow().block(Duration.ofSeconds(5));
        lookup = new InMemoryGatewayLookup()
                .put(new KeyMapping(CONSUMER_KEY, "app-1", "carbon.super", KeyType.PRODUCTION, true));
        JwtVerifier verifier = JwtVerifier.builder(TestKeyManager.ISSUER, jwks).clock(clock).build();
        authenticator = new TokenAuthenticator(verifier, jwks, lookup, clock, 100);
    }

    @AfterEach
    void tearDown() {
        jwks.close();
        km.close();
    }

    private IssuedToken issue(SigningKey key) {
        return new JwtIssuer(TestKeyManager.ISSUER, () -> key, clock).issue(new TokenRequest("alice@carbon.super",
                CONSUMER_KEY, CONSUMER_KEY, List.of(), KeyType.PRODUCTION, AuthorizedUserType.APPLICATION,
                new ApplicationClaim("1", "app-1", "App1", null, "alice"), Duration.ofHours(1)));
    }

    private InvalidTokenException.Reason rejection(String token) {
        try {
            authenticator.authenticate(token).block(Duration.ofSeconds(5));
        } catch (InvalidTokenException e) {
            return e.reason();
        }
        throw new AssertionError("token was accepted");
    }

    @Test
    void a_cached_token_is_refused_once_it_expires() {
        IssuedToken t = issue(km.key());
        assertThat(authenticator.authenticate(t.token()).block().jti()).isEqualTo(t.jti());
        assertThat(authenticator.authenticate(t.token()).block().jti()).isEqualTo(t.jti()); // from the cache
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(rejection(t.token())).isEqualTo(InvalidTokenException.Reason.EXPIRED);
    }

    @Test
    void a_cached_token_is_refused_once_its_jti_is_revoked() {
        IssuedToken t = issue(km.key());
        authenticator.authenticate(t.token()).block();
        authenticator.authenticate(t.token()).block();
        lookup.revoke(t.jti());
        assertThat(rejection(t.token())).isEqualTo(InvalidTokenException.Reason.REVOKED);
    }

    @Test
    void a_cached_token_is_refused_once_its_key_is_rotated_out_of_the_jwks() {
        SigningKey old = km.key();
        IssuedToken t = issue(old);
        authenticator.authenticate(t.token()).block();
        authenticator.authenticate(t.token()).block();

        km.published.add(TestKeyManager.newKey());
        km.published.remove(old);
        jwks.fetchNow().block(Duration.ofSeconds(5));

        assertThat(rejection(t.token())).isEqualTo(InvalidTokenException.Reason.UNKNOWN_KEY);
        // and a token of the new key is accepted
        IssuedToken fresh = issue(km.key());
        assertThat(authenticator.authenticate(fresh.token()).block().jti()).isEqualTo(fresh.jti());
    }

    @Test
    void a_cached_token_is_refused_when_its_kid_now_names_other_key_material() {
        SigningKey old = km.key();
        IssuedToken t = issue(old);
        authenticator.authenticate(t.token()).block();

        // the same kid, another key pair: the signature no longer verifies
        SigningKey impostor = new SigningKey(old.kid(), SigningKey.generateKeyPair(), SigningKey.State.ACTIVE,
                old.createdAt(), old.activatedAt(), null, null);
        km.published.set(0, impostor);
        jwks.fetchNow().block(Duration.ofSeconds(5));

        assertThatThrownBy(() -> authenticator.authenticate(t.token()).block())
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void a_cached_token_of_a_deactivated_consumer_key_is_refused() {
        IssuedToken t = issue(km.key());
        authenticator.authenticate(t.token()).block();
        lookup.put(new KeyMapping(CONSUMER_KEY, "app-1", "carbon.super", KeyType.PRODUCTION, false));
        assertThat(rejection(t.token())).isEqualTo(InvalidTokenException.Reason.REVOKED);
    }
}
