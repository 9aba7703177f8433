package dev.apim.domain.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Set;

/** Registers a user; the password arrives already slow-hashed and never in clear. */
public record RegisterUser(@TargetAggregateIdentifier String userId, String tenant, String username,
                           String passwordHash, Set<String> roles) {}
