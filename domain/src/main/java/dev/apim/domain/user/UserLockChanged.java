package dev.apim.domain.user;

/** A user's account was locked or unlocked. */
public record UserLockChanged(String userId, String tenant, String username, boolean locked, String reason) {}
