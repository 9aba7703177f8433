package dev.apim.domain.keys.event;

import java.time.Instant;

/**
 * One access token (by {@code jti}) of the client {@code consumerKey} in {@code tenant} was revoked; a gateway
 * refuses it until {@code expiresAt}, after which it is dead anyway. {@code reason} may be null.
 */
public record AccessTokenRevoked(String revocationsId, String tenant, String consumerKey, String jti,
                                 Instant expiresAt, String reason) {}
