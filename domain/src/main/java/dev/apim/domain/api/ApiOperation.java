package dev.apim.domain.api;

import java.util.List;
import java.util.Set;

/**
 * One resource of an API: an HTTP verb on a path template (e.g. {@code GET /pets/{petId}}), with the
 * authentication it needs, its throttling policy and the scopes that guard it.
 */
public record ApiOperation(String target, String verb, String authType, String throttlingPolicy,
                           List<String> scopes) {

    public static final Set<String> VERBS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    /** WSO2's resource authentication types; "None" marks an unsecured resource. */
    public static final Set<String> AUTH_TYPES =
            Set.of("Application & Application User", "Application", "Application User", "None", "Any");
    public static final String DEFAULT_AUTH_TYPE = "Application & Application User";
    public static final String DEFAULT_THROTTLING_POLICY = "Unlimited";

    public ApiOperation {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public boolean isSecured() {
        return !"None".equals(authType);
    }

    /** The key that must be unique within an API. */
    public String key() {
        return verb + " " + target;
    }
}
