package dev.apim.platform.security;

import dev.apim.domain.user.User;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which scopes each role grants, and every scope the management plane knows: WSO2's default
 * {@code RESTAPIScopes} mapped to our roles (classpath {@value #RESOURCE}). A caller authenticated by password
 * (HTTP Basic) holds the scopes of its roles; a bearer token carries its own.
 */
public final class RoleScopes {

    public static final String RESOURCE = "META-INF/apim/role-scopes.tsv";

    /** What a scope name looks like ({@code apim:api_view}, {@code apim_analytics:api_analytics:view}). */
    static final Pattern SCOPE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(:[A-Za-z0-9_]+)+");

    private static final RoleScopes DEFAULTS = load(RESOURCE);

    private final Set<String> known;
    private final Map<String, Set<String>> byRole;

    private RoleScopes(Set<String> known, Map<String, Set<String>> byRole) {
        this.known = Set.copyOf(known);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        byRole.forEach((role, scopes) -> copy.put(role, Set.copyOf(scopes)));
        this.byRole = Map.copyOf(copy);
    }

    /** The mapping shipped with the product. */
    public static RoleScopes defaults() {
        return DEFAULTS;
    }

    /** Every scope name of the management plane. */
    public Set<String> known() {
        return known;
    }

    public boolean isKnown(String scope) {
        return known.contains(scope);
    }

    /** The scopes one role grants (empty for an unknown role). */
    public Set<String> scopesOf(String role) {
        return byRole.getOrDefault(role, Set.of());
    }

    /** The union of the scopes the given roles grant. */
    public Set<String> scopesOf(Collection<String> roles) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String role : roles) {
            scopes.addAll(scopesOf(role));
        }
        return Set.copyOf(scopes);
    }

    /** Reads a mapping in the format of {@value #RESOURCE}; any malformed line fails with its line number. */
    public static RoleScopes load(String resource) {
        ClassLoader loader = RoleScopes.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + resource);
            }
            return parse(resource, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RoleScopes parse(String source, BufferedReader reader) throws IOException {
        Set<String> known = new LinkedHashSet<>();
        Map<String, Set<String>> byRole = new LinkedHashMap<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            if (fields.length != 2) {
                throw invalid(source, number, "expected '<scope> <roles|->'");
            }
            String scope = fields[0];
            if (!SCOPE.matcher(scope).matches()) {
                throw invalid(source, number, "'" + scope + "' is not a scope name");
            }
            if (!known.add(scope)) {
                throw invalid(source, number, "scope " + scope + " is listed twice");
            }
            if (fields[1].equals("-")) {
                continue;
            }
            for (String role : fields[1].split(",")) {
                if (!User.ROLES.contains(role)) {
                    throw invalid(source, number, "unknown role '" + role + "'; roles are " + User.ROLES);
                }
                byRole.computeIfAbsent(role, r -> new LinkedHashSet<>()).add(scope);
            }
        }
        return new RoleScopes(known, byRole);
    }

    private static IllegalStateException invalid(String source, int line, String problem) {
        return new IllegalStateException(source + " line " + line + ": " + problem);
    }
}
