package dev.apim.domain.application;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a consumer decides about an application: its name, description, application-level throttling policy,
 * token type, attributes and sharing groups. {@link #validated()} checks every field and applies WSO2's
 * defaults, so the edge and the aggregate agree on the stored form.
 */
public record ApplicationDetails(String name, String description, String throttlingPolicy, String tokenType,
                                 Map<String, String> attributes, List<String> groups) {

    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_DESCRIPTION_LENGTH = 512;
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_KEY_LENGTH = 255;
    public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 1024;
    public static final int MAX_GROUPS = 50;
    /** The only token type issued here; WSO2's opaque OAUTH tokens are not supported. */
    public static final String TOKEN_TYPE_JWT = "JWT";

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]*$");
    private static final Pattern GROUP = Pattern.compile("^[A-Za-z0-9._@-]{1,100}$");

    public ApplicationDetails {
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        groups = groups == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(groups));
    }

    /** The details with defaults applied; throws {@code DomainException(INVALID_INPUT)} on any invalid field. */
    public ApplicationDetails validated() {
        String trimmedName = name == null ? "" : name.trim();
        if (trimmedName.isEmpty()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'name' is required");
        }
        if (trimmedName.length() > MAX_NAME_LENGTH) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'name' must be at most %d characters",
                    MAX_NAME_LENGTH);
        }
        if (!NAME.matcher(trimmedName).matches()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'name' may contain only letters, digits, spaces, "
                    + "'.', '_' and '-', and must start with a letter or digit");
        }
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'description' must be at most %d characters",
                    MAX_DESCRIPTION_LENGTH);
        }
        if (throttlingPolicy == null || throttlingPolicy.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'throttlingPolicy' is required");
        }
        String type = tokenType == null || tokenType.isBlank() ? TOKEN_TYPE_JWT : tokenType.trim().toUpperCase(Locale.ROOT);
        if (!TOKEN_TYPE_JWT.equals(type)) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'tokenType' must be JWT (was '%s')", tokenType);
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw DomainException.of(DomainError.INVALID_INPUT, "An application has at most %d attributes",
                    MAX_ATTRIBUTES);
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String key = attribute.getKey();
            if (key == null || key.isBlank() || key.length() > MAX_ATTRIBUTE_KEY_LENGTH) {
                throw DomainException.of(DomainError.INVALID_INPUT, "Attribute names must be 1 to %d characters "
                        + "and not blank", MAX_ATTRIBUTE_KEY_LENGTH);
            }
            if (attribute.getValue() == null || attribute.getValue().length() > MAX_ATTRIBUTE_VALUE_LENGTH) {
                throw DomainException.of(DomainError.INVALID_INPUT, "Attribute '%s' needs a value of at most %d "
                        + "characters", key, MAX_ATTRIBUTE_VALUE_LENGTH);
            }
        }
        if (groups.size() > MAX_GROUPS) {
            throw DomainException.of(DomainError.INVALID_INPUT, "An application is shared with at most %d groups",
                    MAX_GROUPS);
        }
        LinkedHashSet<String> distinctGroups = new LinkedHashSet<>();
        for (String group : groups) {
            if (group == null || !GROUP.matcher(group).matches()) {
                throw DomainException.of(DomainError.INVALID_INPUT, "Group ids are 1 to 100 letters, digits, "
                        + "'.', '_', '@' or '-'");
            }
            distinctGroups.add(group);
        }
        return new ApplicationDetails(trimmedName, description, throttlingPolicy.trim(), type, attributes,
                List.copyOf(distinctGroups));
    }
}
