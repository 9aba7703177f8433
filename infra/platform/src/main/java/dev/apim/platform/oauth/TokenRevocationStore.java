package dev.apim.platform.oauth;

import reactor.core.publisher.Mono;

import java.time.Instant;

/**
 * Port to revoked access tokens (projected from the revocation events). Access tokens are not stored one by one;
 * only revocations are: by {@code jti}, or by consumer key "issued before", or the client itself being inactive.
 */
public interface TokenRevocationStore {

    /**
     * Whether a token is dead: its {@code jti} was revoked, its client issued-before revocation covers
     * {@code issuedAt}, or its client is no longer active (revoked, removed, deleted, or unknown).
     */
    Mono<Boolean> isRevoked(String consumerKey, String jti, Instant issuedAt);
}
