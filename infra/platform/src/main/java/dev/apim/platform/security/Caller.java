package dev.apim.platform.security;

import java.util.Set;

/**
 * The authenticated user a management request acts for, with the scopes the request may use: those of a
 * bearer token, or, for a password login, the scopes its roles grant ({@link RoleScopes#defaults()}).
 */
public record Caller(String username, String tenant, Set<String> roles, Set<String> scopes) {

    /** Exchange attribute under which the security filter stores the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    /** A caller holding every scope its roles grant by default. */
    public Caller(String username, String tenant, Set<String> roles) {
        this(username, tenant, roles, RoleScopes.defaults().scopesOf(roles == null ? Set.of() : roles));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
