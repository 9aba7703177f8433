package dev.apim.domain.user;

import java.util.Set;

/** A user was registered with a slow-hashed password and roles. */
public record UserRegistered(String userId, String tenant, String username, String passwordHash, Set<String> roles) {}
