package dev.apim.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.apim.gateway.model.GatewayLookup;
import dev.apim.platform.jwt.InvalidTokenException;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.jwt.VerifiedToken;
import reactor.core.publisher.Mono;

import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Authenticates a bearer token: signature (RS256 against the cached JWKS), {@code exp}/{@code nbf}, issuer, then
 * revocation in the gateway state ({@code jti}, consumer-key cut-off, unknown or inactive consumer key). A token
 * whose {@code kid} is unknown waits (asynchronously) for the JWKS refresh it triggered and is verified once more.
 * Verified tokens are cached until they expire, so a repeated token costs a hash lookup instead of an RSA check;
 * revocation and expiry are checked on every call, and a cached token is used only while the JWKS still holds the
 * key that verified it (a key rotated out of the JWKS, or a {@code kid} now naming other key material, sends the
 * token through the full verification again, which rejects it).
 */
public final class TokenAuthenticator {

    private final JwtVerifier verifier;
    private final JwksKeyResolver keys;
    private final GatewayLookup lookup;
    private final Clock clock;
    private final Cache<String, Verified> cache;

    /** A cached verification: the token and the public key its signature was checked against. */
    private record Verified(VerifiedToken token, RSAPublicKey key) {}

    public TokenAuthenticator(JwtVerifier verifier, JwksKeyResolver keys, GatewayLookup lookup, Clock clock,
                              int cacheSize) {
        this.verifier = verifier;
        this.keys = keys;
        this.lookup = lookup;
        this.clock = clock;
        this.cache = cacheSize <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfter(new Expiry<String, Verified>() {
                    @Override
                    public long expireAfterCreate(String key, Verified value, long currentTime) {
                        long nanos = Duration.between(clock.instant(), value.token().expiresAt()).toNanos();
                        return Math.max(0, nanos);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Verified value, long currentTime,
                                                  long currentDuration) {
                        return currentDuration;
                    }

                    @Override
                    public long expireAfterRead(String key, Verified value, long currentTime,
                                                long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /**
     * The verified token, or the {@link InvalidTokenException} that rejects it. Completes synchronously unless the
     * token names a {@code kid} this gateway does not know yet.
     */
    public Mono<VerifiedToken> authenticate(String token) {
        Verified cached = cache == null ? null : cache.getIfPresent(token);
        if (cached != null) {
            VerifiedToken t = cached.token();
            if (!clock.instant().isBefore(t.expiresAt())) {
                cache.invalidate(token);
                return Mono.error(new InvalidTokenException(InvalidTokenException.Reason.EXPIRED, "token expired"));
            }
            if (stillPublished(cached)) {
                return checkRevocation(t);
            }
            cache.invalidate(token); // its key left the JWKS (or changed): verify from scratch
        }
        try {
            return verifyAndRemember(token);
        } catch (InvalidTokenException e) {
            if (e.reason() != InvalidTokenException.Reason.UNKNOWN_KEY) {
                return Mono.error(e);
            }
            // The verifier asked the resolver to refresh; if a fetch is under way, verify again once it ends.
            return keys.pendingRefresh()
                    .then(Mono.defer(() -> verifyAndRemember(token)));
        }
    }

    /** The key that verified the cached token is still the JWKS's key for its {@code kid}. */
    private boolean stillPublished(Verified cached) {
        String kid = cached.token().keyId();
        RSAPublicKey current = kid == null ? null : keys.find(kid).orElse(null);
        return current != null && (current == cached.key() || current.equals(cached.key()));
    }

    private Mono<VerifiedToken> verifyAndRemember(String token) {
        VerifiedToken verified = verifier.verify(token);
        if (cache != null && verified.keyId() != null) {
            // Remembered with the key the JWKS names now: a key removed by a refresh meanwhile is not cached.
            RSAPublicKey key = keys.find(verified.keyId()).orElse(null);
            if (key != null) {
                cache.put(token, new Verified(verified, key));
            }
        }
        return checkRevocation(verified);
    }

    private Mono<VerifiedToken> checkRevocation(VerifiedToken t) {
        if (t.authorizedParty() == null) {
            return Mono.error(new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, "token has no azp"));
        }
        Instant iat = t.issuedAt();
        if (lookup.isRevoked(t.authorizedParty(), t.jti(), iat)) {
            return Mono.error(new InvalidTokenException(InvalidTokenException.Reason.REVOKED, "token is revoked"));
        }
        return Mono.just(t);
    }
}
