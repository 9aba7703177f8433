package dev.apim.domain.keys.event;

import java.time.Instant;

/**
 * Every token of the client {@code consumerKey} in {@code tenant} issued before {@code issuedBefore} is revoked
 * (the cut-off only moves forward). {@code reason} may be null.
 */
public record TokensRevokedIssuedBefore(String revocationsId, String tenant, String consumerKey,
                                        Instant issuedBefore, String reason) {}
