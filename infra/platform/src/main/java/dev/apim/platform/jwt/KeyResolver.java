package dev.apim.platform.jwt;

import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** Finds the public key for a {@code kid}, typically from a cached JWKS. */
public interface KeyResolver {

    Optional<RSAPublicKey> find(String kid);

    /**
     * Called once by the verifier when a {@code kid} is unknown, before it rejects the token (a new key may have
     * been published since the cache was filled). Implementations should rate-limit remote fetches.
     */
    default void refresh() {
    }

    /** Resolves against the given keys as they are at each call (e.g. {@code ring::publishedKeys}). */
    static KeyResolver of(Supplier<? extends Collection<SigningKey>> keys) {
        Objects.requireNonNull(keys);
        return kid -> keys.get().stream()
                .filter(k -> k.kid().equals(kid))
                .map(SigningKey::publicKey)
                .findFirst();
    }
}
