package dev.apim.domain.user;

/** A user's password was replaced (only its slow hash is recorded). */
public record UserPasswordChanged(String userId, String tenant, String username, String passwordHash) {}
