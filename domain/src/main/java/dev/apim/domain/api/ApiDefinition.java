package dev.apim.domain.api;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a provider designs about an API, as WSO2's Publisher exposes it. It is the payload of
 * create/update events and the body of a revision. {@link #validated()} applies WSO2's defaults and
 * refuses what WSO2 refuses.
 */
public record ApiDefinition(
        String name,
        String description,
        String context,
        String version,
        String provider,
        String type,
        List<String> transport,
        List<String> tags,
        List<String> policies,
        String apiThrottlingPolicy,
        String authorizationHeader,
        List<String> securityScheme,
        String visibility,
        List<String> visibleRoles,
        boolean isDefaultVersion,
        ApiEndpoints endpoints,
        List<ApiOperation> operations,
        List<ApiScope> scopes,
        Map<String, String> businessInformation,
        Map<String, String> additionalProperties) {

    public static final int MAX_NAME_LENGTH = 60;
    public static final int MAX_CONTEXT_LENGTH = 232;
    public static final int MAX_VERSION_LENGTH = 30;
    public static final Set<String> TYPES = Set.of("HTTP");
    public static final Set<String> TRANSPORTS = Set.of("http", "https");
    public static final Set<String> VISIBILITIES = Set.of("PUBLIC", "PRIVATE", "RESTRICTED");
    public static final List<String> DEFAULT_VERBS = List.of("GET", "PUT", "POST", "DELETE", "PATCH");

    private static final Pattern NAME_FORBIDDEN = Pattern.compile("[~!@#;:%^*()+={}|\\\\<>\"',&$\\[\\]/]");
    private static final Pattern CONTEXT = Pattern.compile("^(/[A-Za-z0-9_.~\\-]+|/\\{version})+$");
    private static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9_.\\-]+$");
    private static final Pattern TARGET = Pattern.compile("^/[A-Za-z0-9_.~\\-/{}*=&?]*$");

    public ApiDefinition {
        transport = listOrEmpty(transport);
        tags = listOrEmpty(tags);
        policies = listOrEmpty(policies);
        securityScheme = listOrEmpty(securityScheme);
        visibleRoles = listOrEmpty(visibleRoles);
        operations = listOrEmpty(operations);
        scopes = listOrEmpty(scopes);
        endpoints = endpoints == null ? ApiEndpoints.NONE : endpoints;
        businessInformation = businessInformation == null ? Map.of() : Map.copyOf(businessInformation);
        additionalProperties = additionalProperties == null ? Map.of() : Map.copyOf(additionalProperties);
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** The request path prefix on the gateway: the context with {version} filled in, or context/version. */
    public String gatewayContext() {
        return context.contains("{version}") ? context.replace("{version}", version) : context + "/" + version;
    }

    /** Returns this definition with WSO2's defaults applied, or throws the first rule it breaks. */
    public ApiDefinition validated() {
        requireText(name, "name");
        requireText(context, "context");
        requireText(version, "version");
        if (name.length() > MAX_NAME_LENGTH || NAME_FORBIDDEN.matcher(name).find()) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "API name '%s' is longer than %d characters or contains a character that is not allowed",
                    name, MAX_NAME_LENGTH);
        }
        if (context.length() > MAX_CONTEXT_LENGTH || !CONTEXT.matcher(context).matches()) {
            throw DomainException.of(DomainError.INVALID_CONTEXT,
                    "Context '%s' must start with '/', be at most %d characters and use only letters, digits, "
                            + "'_', '-', '.', '~', '/' and the '{version}' template", context, MAX_CONTEXT_LENGTH);
        }
        if (context.indexOf("{version}") != context.lastIndexOf("{version}")) {
            throw DomainException.of(DomainError.INVALID_CONTEXT, "Context '%s' uses {version} more than once", context);
        }
        if (version.length() > MAX_VERSION_LENGTH || !VERSION.matcher(version).matches()) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "Version '%s' must be at most %d characters of letters, digits, '_', '-' and '.'",
                    version, MAX_VERSION_LENGTH);
        }
        String apiType = type == null || type.isBlank() ? "HTTP" : type.toUpperCase();
        if (!TYPES.contains(apiType)) {
            throw DomainException.of(DomainError.INVALID_INPUT, "API type '%s' is not supported; supported: %s",
                    type, TYPES);
        }
        List<String> transports = transport.isEmpty() ? List.of("http", "https") : transport;
        for (String t : transports) {
            if (!TRANSPORTS.contains(t)) {
                throw DomainException.of(DomainError.INVALID_INPUT, "Transport '%s' is not one of %s", t, TRANSPORTS);
            }
        }
        String vis = visibility == null || visibility.isBlank() ? "PUBLIC" : visibility;
        if (!VISIBILITIES.contains(vis)) {
            throw DomainException.of(DomainError.INVALID_INPUT, "Visibility '%s' is not one of %s", vis, VISIBILITIES);
        }
        if ("RESTRICTED".equals(vis) && visibleRoles.isEmpty()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "RESTRICTED visibility needs at least one visible role");
        }
        for (String policy : policies) {
            requireText(policy, "policies[]");
        }
        validateEndpoint(endpoints.productionUrl(), "production");
        validateEndpoint(endpoints.sandboxUrl(), "sandbox");
        Set<String> scopeNames = new HashSet<>();
        for (ApiScope scope : scopes) {
            requireText(scope == null ? null : scope.name(), "scopes[].name");
            if (!scopeNames.add(scope.name())) {
                throw DomainException.of(DomainError.INVALID_INPUT, "Scope '%s' is declared twice", scope.name());
            }
        }
        List<ApiOperation> ops = operations.isEmpty() ? defaultOperations() : normalizeOperations(scopeNames);
        return new ApiDefinition(name.trim(), description, context, version, provider, apiType, transports, tags,
                policies, apiThrottlingPolicy, authorizationHeader,
                securityScheme.isEmpty() ? List.of("oauth2", "oauth_basic_auth_api_key_mandatory") : securityScheme,
                vis, visibleRoles, isDefaultVersion, endpoints, ops, scopes, businessInformation,
                new LinkedHashMap<>(additionalProperties));
    }

    /** WSO2 gives an API without resources a wildcard resource for each common verb. */
    private static List<ApiOperation> defaultOperations() {
        List<ApiOperation> ops = new ArrayList<>();
        for (String verb : DEFAULT_VERBS) {
            ops.add(new ApiOperation("/*", verb, ApiOperation.DEFAULT_AUTH_TYPE,
                    ApiOperation.DEFAULT_THROTTLING_POLICY, List.of()));
        }
        return ops;
    }

    private List<ApiOperation> normalizeOperations(Set<String> scopeNames) {
        List<ApiOperation> ops = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (ApiOperation op : operations) {
            if (op == null) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "An operation is null");
            }
            requireText(op.target(), "operations[].target");
            requireText(op.verb(), "operations[].verb");
            String verb = op.verb().toUpperCase();
            if (!ApiOperation.VERBS.contains(verb)) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "Verb '%s' of '%s' is not one of %s",
                        op.verb(), op.target(), ApiOperation.VERBS);
            }
            if (!TARGET.matcher(op.target()).matches()) {
                throw DomainException.of(DomainError.INVALID_OPERATION,
                        "Resource path '%s' must start with '/' and be a valid URI template", op.target());
            }
            String auth = op.authType() == null || op.authType().isBlank() ? ApiOperation.DEFAULT_AUTH_TYPE : op.authType();
            if (!ApiOperation.AUTH_TYPES.contains(auth)) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "Auth type '%s' of %s %s is not one of %s",
                        auth, verb, op.target(), ApiOperation.AUTH_TYPES);
            }
            for (String scope : op.scopes()) {
                if (!scopeNames.contains(scope)) {
                    throw DomainException.of(DomainError.INVALID_OPERATION,
                            "Operation %s %s uses scope '%s' that the API does not declare", verb, op.target(), scope);
                }
            }
            String policy = op.throttlingPolicy() == null || op.throttlingPolicy().isBlank()
                    ? ApiOperation.DEFAULT_THROTTLING_POLICY : op.throttlingPolicy();
            ApiOperation normalized = new ApiOperation(op.target(), verb, auth, policy, op.scopes());
            if (!keys.add(normalized.key())) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "Operation %s is defined twice", normalized.key());
            }
            ops.add(normalized);
        }
        return ops;
    }

    private static void validateEndpoint(String url, String which) {
        if (url == null || url.isBlank()) {
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            throw DomainException.of(DomainError.INVALID_ENDPOINT_URL,
                    "The %s endpoint '%s' is not an absolute http(s) URL", which, url);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
    }

    public ApiDefinition withOperations(List<ApiOperation> newOperations, List<ApiScope> newScopes) {
        return new ApiDefinition(name, description, context, version, provider, type, transport, tags, policies,
                apiThrottlingPolicy, authorizationHeader, securityScheme, visibility, visibleRoles, isDefaultVersion,
                endpoints, newOperations, newScopes, businessInformation, additionalProperties);
    }
}
