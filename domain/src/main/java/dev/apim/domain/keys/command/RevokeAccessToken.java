package dev.apim.domain.keys.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Revokes one access token of a client by its {@code jti} (OAuth2 revocation, logout). {@code revocationsId} must
 * be {@code TokenRevocations.idOf(consumerKey)}; {@code expiresAt} is the token's {@code exp}, after which the
 * revocation no longer matters. Revoking a token already revoked, or already expired, writes nothing.
 * {@code reason} may be null.
 */
public record RevokeAccessToken(@TargetAggregateIdentifier String revocationsId, String tenant, String consumerKey,
                                String jti, Instant expiresAt, String reason) {}
