package dev.apim.command.oauth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Narrows requested scopes as WSO2's Key Manager does: a scope bound to roles (the management scopes such as
 * {@code apim:api_create}) is granted only when one of the user's roles allows it; a scope bound to no role
 * (e.g. one an API defines for its resources) is granted to anyone; when nothing is granted the token gets
 * {@code default}.
 */
public final class ScopePolicy {

    public static final String DEFAULT_SCOPE = "default";
    static final int MAX_SCOPES = 100;
    static final int MAX_SCOPE_LENGTH = 200;

    private final Function<Set<String>, Set<String>> allowedByRoles;
    private final Set<String> roleBound;

    /**
     * @param allowedByRoles the scopes a set of roles allows
     * @param roleBound      every scope that is bound to some role
     */
    public ScopePolicy(Function<Set<String>, Set<String>> allowedByRoles, Set<String> roleBound) {
        this.allowedByRoles = allowedByRoles;
        this.roleBound = Set.copyOf(roleBound);
    }

    /** The {@code scope} parameter as a list; {@code invalid_scope} when malformed (RFC 6749 §3.3). */
    static List<String> parse(String scope) {
        if (scope == null || scope.isBlank()) {
            return List.of();
        }
        if (!scope.equals(scope.strip()) || scope.contains("  ")) {
            throw OAuth2Exception.invalidScope("Scopes must be separated by single spaces");
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(scope.split(" ")));
        if (scopes.size() > MAX_SCOPES) {
            throw OAuth2Exception.invalidScope("At most " + MAX_SCOPES + " scopes may be requested");
        }
        for (String s : scopes) {
            // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
            if (s.length() > MAX_SCOPE_LENGTH || s.chars().anyMatch(c -> c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E)) {
                throw OAuth2Exception.invalidScope("Scope '" + s + "' is not a valid scope token");
            }
        }
        return List.copyOf(scopes);
    }

    /** The scopes granted to a user with {@code roles} for the requested ones. */
    public List<String> grant(List<String> requested, Set<String> roles) {
        Set<String> allowed = allowedByRoles.apply(roles);
        List<String> granted = new ArrayList<>();
        for (String scope : requested) {
            if (DEFAULT_SCOPE.equals(scope)) {
                continue;
            }
            if (!roleBound.contains(scope) || allowed.contains(scope)) {
                granted.add(scope);
            }
        }
        if (granted.isEmpty()) {
            return List.of(DEFAULT_SCOPE);
        }
        return List.copyOf(granted);
    }
}
