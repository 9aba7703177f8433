package dev.apim.domain.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces a user's password; it arrives already slow-hashed. */
public record ChangeUserPassword(@TargetAggregateIdentifier String userId, String passwordHash) {}
