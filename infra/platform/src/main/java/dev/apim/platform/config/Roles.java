package dev.apim.platform.config;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The components a node can run; {@code all} (the default) is every one of them. */
public final class Roles {

    public static final String ALL = "all";
    public static final String PUBLISHER = "publisher";
    public static final String DEVPORTAL = "devportal";
    public static final String KEYMANAGER = "keymanager";
    public static final String TRAFFICMANAGER = "trafficmanager";
    public static final String GATEWAY = "gateway";
    public static final Set<String> KNOWN = Set.of(PUBLISHER, DEVPORTAL, KEYMANAGER, TRAFFICMANAGER, GATEWAY);

    private Roles() {}

    /** Parses a comma-separated role list, refusing unknown names so a typo cannot start an empty node. */
    public static Set<String> parse(String value) {
        Set<String> roles = new LinkedHashSet<>();
        for (String part : (value == null || value.isBlank() ? ALL : value).split(",")) {
            String role = part.trim().toLowerCase(Locale.ROOT);
            if (role.isEmpty()) {
                continue;
            }
            if (role.equals(ALL)) {
                roles.addAll(KNOWN);
            } else if (KNOWN.contains(role)) {
                roles.add(role);
            } else {
                throw new IllegalArgumentException("Unknown role '" + role + "' in apim.roles; known roles: "
                        + KNOWN + " or " + ALL);
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("apim.roles names no role");
        }
        return Set.copyOf(roles);
    }
}
