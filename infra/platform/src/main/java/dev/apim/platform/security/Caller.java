package dev.apim.platform.security;

import java.util.Set;

/** The authenticated user a management request acts for. */
public record Caller(String username, String tenant, Set<String> roles) {

    /** Exchange attribute under which the security filter stores the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
