package dev.apim.domain.keys.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Revokes every token of a client issued before {@code issuedBefore} (a cut-off; for instance after its secret was
 * rotated). Writes something only when the cut-off is later than the current one. {@code revocationsId} must be
 * {@code TokenRevocations.idOf(consumerKey)}; {@code reason} may be null.
 */
public record RevokeTokensIssuedBefore(@TargetAggregateIdentifier String revocationsId, String tenant,
                                       String consumerKey, Instant issuedBefore, String reason) {}
