package dev.apim.domain.keys.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The system revokes a key mapping (for instance, its application was deleted): the keys stop working and the
 * mapping remains for audit. Revoking a revoked mapping writes nothing.
 */
public record RevokeApplicationKeys(@TargetAggregateIdentifier String keysId, String reason) {}
