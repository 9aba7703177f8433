package dev.apim.domain.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Locks (or, with {@code locked = false}, unlocks) a user's account, as WSO2's {@code accountLocked} claim does:
 * a locked user can neither sign in nor use tokens issued earlier. {@code reason} may be null.
 */
public record LockUser(@TargetAggregateIdentifier String userId, boolean locked, String reason) {}
