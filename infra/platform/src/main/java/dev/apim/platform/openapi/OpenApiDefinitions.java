package dev.apim.platform.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.ApiScope;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.servers.ServerVariable;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.converter.SwaggerConverter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads, generates and keeps in sync the OpenAPI definition of an API, the way WSO2's Publisher does.
 *
 * <ul>
 *   <li>{@link #parse(String)} reads an uploaded OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML)
 *       into operations, scopes and endpoints, honouring WSO2's {@code x-auth-type},
 *       {@code x-throttling-tier}, {@code x-scope}, {@code x-wso2-security} and
 *       {@code x-wso2-*-endpoints} extensions.</li>
 *   <li>{@link #generate(ApiDefinition)} writes the OpenAPI 3.0.1 document of an API created without one.</li>
 *   <li>{@link #update(String, ApiDefinition)} re-aligns a provider's document with the API's operations,
 *       keeping whatever else the provider wrote.</li>
 * </ul>
 *
 * <p>Remote and file {@code $ref}s are refused and never fetched; documents over
 * {@value #MAX_DOCUMENT_BYTES} bytes are refused. Every refusal is a {@link DomainException} with
 * {@link DomainError#API_DEFINITION_MALFORMED}. Stateless and safe to share between threads.
 */
public final class OpenApiDefinitions {

    public static final int MAX_DOCUMENT_BYTES = DocumentReader.MAX_DOCUMENT_BYTES;
    /** The OAuth2 security scheme WSO2 declares for every API. */
    public static final String DEFAULT_SECURITY_SCHEME = "default";
    public static final String DEFAULT_AUTHORIZATION_URL = "https://test.com";
    public static final String GENERATED_OPENAPI_VERSION = "3.0.1";

    public static final String X_AUTH_TYPE = "x-auth-type";
    public static final String X_THROTTLING_TIER = "x-throttling-tier";
    public static final String X_SCOPE = "x-scope";
    public static final String X_SCOPES_BINDINGS = "x-scopes-bindings";
    public static final String X_WSO2_SECURITY = "x-wso2-security";
    public static final String X_WSO2_SCOPES = "x-wso2-scopes";
    public static final String X_WSO2_BASE_PATH = "x-wso2-basePath";
    public static final String X_WSO2_PRODUCTION_ENDPOINTS = "x-wso2-production-endpoints";
    public static final String X_WSO2_SANDBOX_ENDPOINTS = "x-wso2-sandbox-endpoints";

    private static final int MAX_REPORTED_MESSAGES = 5;
    private static final int MAX_WARNINGS = 50;
    private static final String SUPPORTED_VERBS = "GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS";
    private static final Set<String> VERB_KEYS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Set<String> PATH_ITEM_FIELDS = Set.of("summary", "description", "servers", "parameters", "$ref");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^{}/?&=]+)}");
    private static final String PATH_ITEM_REF_PREFIX = "#/components/pathItems/";

    /** A document that the parser accepted: the guarded tree, the OpenAPI 3 model and the parser's remarks. */
    private record Loaded(DocumentReader.Tree tree, OpenAPI api, List<String> messages) {
    }

    // ------------------------------------------------------------------------------------------ parse

    /**
     * Reads an OpenAPI 3.0/3.1 or Swagger 2.0 document, JSON or YAML.
     *
     * @throws DomainException {@link DomainError#API_DEFINITION_MALFORMED} when the text is empty, too large,
     *                         not JSON/YAML, not OpenAPI/Swagger, refers to external documents, has no
     *                         operations, uses an unsupported verb or WSO2 extension value, or uses a scope
     *                         it does not declare
     */
    public ParsedOpenApi parse(String document) {
        Loaded doc = load(document);
        OpenAPI api = doc.api();
        if (api.getPaths() == null || api.getPaths().isEmpty()) {
            throw malformed("The API definition has no paths; it must define at least one resource");
        }
        JsonNode rawPaths = doc.tree().root().path("paths");
        Map<String, SecurityScheme> schemes = securitySchemes(api);
        Set<String> oauth2Schemes = oauth2SchemeNames(schemes);
        List<ApiScope> scopes = readScopes(api, schemes);
        Set<String> declaredScopes = new LinkedHashSet<>();
        scopes.forEach(s -> declaredScopes.add(s.name()));

        List<ApiOperation> operations = new ArrayList<>();
        Set<String> problems = new LinkedHashSet<>();
        Map<String, List<String>> verbOrder = new LinkedHashMap<>();
        for (Map.Entry<String, PathItem> entry : api.getPaths().entrySet()) {
            String target = entry.getKey();
            JsonNode rawItem = rawPaths.path(target);
            if (!target.startsWith("/")) {
                problems.add("path '" + target + "' does not start with '/'");
                continue;
            }
            checkPathItemFields(target, rawItem, problems);
            PathItem item = resolvePathItem(api, entry.getValue());
            if (item == null) {
                continue;
            }
            Map<HttpMethod, Operation> byMethod = item.readOperationsMap();
            List<String> verbs = new ArrayList<>();
            for (HttpMethod method : methodsInDocumentOrder(byMethod.keySet(), rawItem)) {
                if (method == HttpMethod.TRACE) {
                    problems.add("TRACE " + target + ": verb TRACE is not supported; supported are " + SUPPORTED_VERBS);
                    continue;
                }
                Operation op = byMethod.get(method);
                String verb = method.name();
                String key = verb + " " + target;
                JsonNode rawOp = rawItem.path(verb.toLowerCase(Locale.ROOT));
                boolean open = isExplicitlyOpen(rawOp, op);
                if (open && op.getSecurity() == null) {
                    op.setSecurity(new ArrayList<>()); // the Swagger 2.0 converter drops an empty list
                }
                String authType = authType(op, open, key, problems);
                List<String> opScopes = operationScopes(api, op, oauth2Schemes);
                for (String scope : opScopes) {
                    if (!declaredScopes.contains(scope)) {
                        problems.add(key + " uses scope '" + scope + "', which the definition does not declare");
                    }
                }
                operations.add(new ApiOperation(target, verb, authType, throttlingTier(op), opScopes));
                verbs.add(verb.toLowerCase(Locale.ROOT));
            }
            verbOrder.put(target, verbs);
        }
        if (!problems.isEmpty()) {
            throw malformed("The API definition has resources that cannot be used: " + summarize(new ArrayList<>(problems)));
        }
        if (operations.isEmpty()) {
            throw malformed("The API definition has no operations; at least one path must define a verb ("
                    + SUPPORTED_VERBS + ")");
        }
        Info info = api.getInfo();
        List<String> warnings = doc.messages().size() > MAX_WARNINGS ? doc.messages().subList(0, MAX_WARNINGS)
                : doc.messages();
        return new ParsedOpenApi(doc.tree().specVersion(),
                info == null ? null : info.getTitle(),
                info == null ? null : info.getVersion(),
                info == null ? null : info.getDescription(),
                operations, scopes, readEndpoints(api), toJson(api, verbOrder), warnings);
    }

    // ------------------------------------------------------------------------------------------ generate

    /**
     * Writes the OpenAPI 3.0.1 document of an API that was created without one. Pass a
     * {@link ApiDefinition#validated() validated} definition: an API without operations gets no paths.
     */
    public String generate(ApiDefinition definition) {
        requireDefinition(definition);
        List<ApiOperation> operations = normalize(definition.operations());
        OpenAPI api = new OpenAPI();
        api.setOpenapi(GENERATED_OPENAPI_VERSION);
        api.setInfo(new Info().title(definition.name()).version(definition.version())
                .description(definition.description()));
        Paths paths = new Paths();
        Set<String> oauth2Schemes = Set.of(DEFAULT_SECURITY_SCHEME);
        for (ApiOperation op : operations) {
            PathItem item = paths.computeIfAbsent(op.target(), t -> new PathItem());
            item.operation(HttpMethod.valueOf(op.verb()), newOperation(op, item, false, oauth2Schemes));
        }
        api.setPaths(paths);
        applyApiLevel(api, definition);
        return toJson(api, verbOrder(operations));
    }

    // ------------------------------------------------------------------------------------------ update

    /**
     * Re-aligns a provider's document with the API after its operations changed: title and version (and
     * the description, when the API has one) from the API; paths and verbs the API no longer has are
     * removed; new ones are added as {@link #generate} would; {@code x-auth-type},
     * {@code x-throttling-tier}, {@code x-scope} and the security scopes of the rest are updated.
     * Schemas, descriptions, parameters and anything else the provider wrote are kept.
     *
     * @param existingDocument the current document (any format {@link #parse} accepts), or null to generate one
     * @return the updated document as pretty-printed OpenAPI 3 JSON
     */
    public String update(String existingDocument, ApiDefinition definition) {
        if (existingDocument == null) {
            return generate(definition);
        }
        requireDefinition(definition);
        List<ApiOperation> operations = normalize(definition.operations());
        OpenAPI api = load(existingDocument).api();
        boolean v31 = api.getSpecVersion() == SpecVersion.V31;

        Info info = api.getInfo() == null ? new Info() : api.getInfo();
        info.setTitle(definition.name());
        info.setVersion(definition.version());
        if (definition.description() != null) {
            info.setDescription(definition.description());
        }
        api.setInfo(info);

        Set<String> oauth2Schemes = new LinkedHashSet<>(oauth2SchemeNames(securitySchemes(api)));
        oauth2Schemes.add(DEFAULT_SECURITY_SCHEME);
        Map<String, Map<HttpMethod, ApiOperation>> wanted = new LinkedHashMap<>();
        for (ApiOperation op : operations) {
            wanted.computeIfAbsent(op.target(), t -> new LinkedHashMap<>()).put(HttpMethod.valueOf(op.verb()), op);
        }
        Paths existing = api.getPaths() == null ? new Paths() : api.getPaths();
        Paths paths = new Paths();
        paths.setExtensions(existing.getExtensions());
        for (Map.Entry<String, Map<HttpMethod, ApiOperation>> entry : wanted.entrySet()) {
            PathItem item = existing.get(entry.getKey());
            if (item == null) {
                item = new PathItem();
            }
            PathItem target = resolvePathItem(api, item);
            if (target == null) {
                target = item;
            }
            for (HttpMethod method : target.readOperationsMap().keySet()) {
                if (!entry.getValue().containsKey(method)) {
                    target.operation(method, null);
                }
            }
            Map<HttpMethod, Operation> current = target.readOperationsMap();
            for (Map.Entry<HttpMethod, ApiOperation> verb : entry.getValue().entrySet()) {
                Operation op = current.get(verb.getKey());
                if (op == null) {
                    target.operation(verb.getKey(), newOperation(verb.getValue(), target, v31, oauth2Schemes));
                } else {
                    applyOperation(op, verb.getValue(), oauth2Schemes);
                }
            }
            paths.put(entry.getKey(), item);
        }
        api.setPaths(paths);
        applyApiLevel(api, definition);
        return toJson(api, verbOrder(operations));
    }

    // ------------------------------------------------------------------------------------------ loading

    private static Loaded load(String document) {
        DocumentReader.Tree tree = DocumentReader.read(document);
        ParseOptions options = new ParseOptions();
        options.setResolve(false);          // never fetch or inline $refs: no network, no file access
        options.setResolveFully(false);
        options.setFlatten(false);
        options.setValidateExternalRefs(false);
        SwaggerParseResult result;
        try {
            String json = tree.toJson();
            result = tree.flavor() == DocumentReader.Flavor.SWAGGER_2
                    ? new SwaggerConverter().readContents(json, null, options)
                    : new OpenAPIV3Parser().readContents(json, null, options);
        } catch (RuntimeException e) {
            throw malformed("The API definition could not be parsed: " + DocumentReader.detail(e.getMessage()));
        }
        List<String> messages = new ArrayList<>();
        if (result != null && result.getMessages() != null) {
            result.getMessages().stream().filter(m -> m != null && !m.isBlank()).distinct().forEach(messages::add);
        }
        if (result == null || result.getOpenAPI() == null) {
            throw malformed("The API definition could not be parsed"
                    + (messages.isEmpty() ? "" : ": " + summarize(messages)));
        }
        return new Loaded(tree, result.getOpenAPI(), List.copyOf(messages));
    }

    // ------------------------------------------------------------------------------------------ reading helpers

    private static void checkPathItemFields(String target, JsonNode rawItem, Set<String> problems) {
        Iterator<String> names = rawItem.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.startsWith("x-") || PATH_ITEM_FIELDS.contains(name)) {
                continue;
            }
            if ("trace".equals(name)) {
                problems.add("TRACE " + target + ": verb TRACE is not supported; supported are " + SUPPORTED_VERBS);
            } else if (!VERB_KEYS.contains(name)) {
                problems.add("'" + name + "' under path '" + target + "' is not a supported HTTP verb (verbs are "
                        + "lower case: " + SUPPORTED_VERBS.toLowerCase(Locale.ROOT) + ")");
            }
        }
    }

    /** The path's methods in the order the provider wrote them; a referenced path item keeps OpenAPI's order. */
    private static List<HttpMethod> methodsInDocumentOrder(Set<HttpMethod> present, JsonNode rawItem) {
        List<HttpMethod> ordered = new ArrayList<>();
        Iterator<String> names = rawItem.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (VERB_KEYS.contains(name)) {
                HttpMethod method = HttpMethod.valueOf(name.toUpperCase(Locale.ROOT));
                if (present.contains(method) && !ordered.contains(method)) {
                    ordered.add(method);
                }
            }
        }
        for (HttpMethod method : present) {
            if (!ordered.contains(method)) {
                ordered.add(method);
            }
        }
        return ordered;
    }

    private static boolean isExplicitlyOpen(JsonNode rawOp, Operation op) {
        JsonNode security = rawOp.path("security");
        if (security.isArray()) {
            return security.isEmpty();
        }
        return op.getSecurity() != null && op.getSecurity().isEmpty();
    }

    private static String authType(Operation op, boolean open, String key, Set<String> problems) {
        Object value = extension(op.getExtensions(), X_AUTH_TYPE);
        if (value == null || String.valueOf(value).isBlank()) {
            return open ? "None" : ApiOperation.DEFAULT_AUTH_TYPE;
        }
        String text = String.valueOf(value).trim();
        for (String candidate : List.of(text, text.replace('_', ' '))) {
            for (String known : ApiOperation.AUTH_TYPES) {
                if (known.equalsIgnoreCase(candidate)) {
                    return known;
                }
            }
        }
        problems.add(key + ": x-auth-type '" + text + "' is not one of " + new TreeSet<>(ApiOperation.AUTH_TYPES));
        return ApiOperation.DEFAULT_AUTH_TYPE;
    }

    private static String throttlingTier(Operation op) {
        Object value = extension(op.getExtensions(), X_THROTTLING_TIER);
        return value == null || String.valueOf(value).isBlank()
                ? ApiOperation.DEFAULT_THROTTLING_POLICY : String.valueOf(value).trim();
    }

    /** {@code x-scope} first, then the scopes the operation's (or else the document's) OAuth2 requirements name. */
    private static List<String> operationScopes(OpenAPI api, Operation op, Set<String> oauth2Schemes) {
        Set<String> scopes = new LinkedHashSet<>();
        Object xScope = extension(op.getExtensions(), X_SCOPE);
        if (xScope instanceof List<?> list) {
            list.stream().filter(v -> v != null && !String.valueOf(v).isBlank())
                    .forEach(v -> scopes.add(String.valueOf(v).trim()));
        } else if (xScope != null && !String.valueOf(xScope).isBlank()) {
            scopes.add(String.valueOf(xScope).trim());
        }
        List<SecurityRequirement> requirements = op.getSecurity() != null ? op.getSecurity() : api.getSecurity();
        if (requirements != null) {
            for (SecurityRequirement requirement : requirements) {
                for (Map.Entry<String, List<String>> e : requirement.entrySet()) {
                    if (oauth2Schemes.contains(e.getKey()) && e.getValue() != null) {
                        e.getValue().stream().filter(s -> s != null && !s.isBlank()).forEach(scopes::add);
                    }
                }
            }
        }
        return new ArrayList<>(scopes);
    }

    /**
     * Scopes of the OAuth2 schemes ({@code default} first; bindings from {@code x-scopes-bindings}), then
     * WSO2's legacy {@code x-wso2-security.apim.x-wso2-scopes}, which also supplies display names and roles.
     */
    private static List<ApiScope> readScopes(OpenAPI api, Map<String, SecurityScheme> schemes) {
        Map<String, ApiScope> scopes = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(schemes.keySet());
        if (names.remove(DEFAULT_SECURITY_SCHEME)) {
            names.add(0, DEFAULT_SECURITY_SCHEME);
        }
        for (String name : names) {
            SecurityScheme scheme = schemes.get(name);
            if (!isOauth2(scheme) || scheme.getFlows() == null) {
                continue;
            }
            Map<String, List<String>> schemeBindings = bindings(extension(scheme.getExtensions(), X_SCOPES_BINDINGS));
            for (OAuthFlow flow : flows(scheme.getFlows())) {
                if (flow.getScopes() == null) {
                    continue;
                }
                Map<String, List<String>> flowBindings = bindings(extension(flow.getExtensions(), X_SCOPES_BINDINGS));
                flow.getScopes().forEach((scope, description) -> {
                    if (scope != null && !scope.isBlank()) {
                        List<String> roles = flowBindings.getOrDefault(scope, schemeBindings.getOrDefault(scope, List.of()));
                        scopes.putIfAbsent(scope, new ApiScope(scope, scope, blankToNull(description), roles));
                    }
                });
            }
        }
        for (Object entry : legacyScopes(api)) {
            if (!(entry instanceof Map<?, ?> legacy)) {
                continue;
            }
            String key = text(legacy.get("key"));
            String displayName = text(legacy.get("name"));
            if (key == null) {
                key = displayName;
            }
            if (key == null) {
                continue;
            }
            String description = text(legacy.get("description"));
            List<String> roles = roles(legacy.get("roles"));
            ApiScope known = scopes.get(key);
            scopes.put(key, known == null
                    ? new ApiScope(key, displayName == null ? key : displayName, description, roles)
                    : new ApiScope(key, displayName == null ? known.displayName() : displayName,
                    known.description() != null ? known.description() : description,
                    known.bindings().isEmpty() ? roles : known.bindings()));
        }
        return new ArrayList<>(scopes.values());
    }

    private static List<?> legacyScopes(OpenAPI api) {
        if (extension(api.getExtensions(), X_WSO2_SECURITY) instanceof Map<?, ?> security
                && security.get("apim") instanceof Map<?, ?> apim
                && apim.get(X_WSO2_SCOPES) instanceof List<?> list) {
            return list;
        }
        return List.of();
    }

    private static ApiEndpoints readEndpoints(OpenAPI api) {
        Object production = extension(api.getExtensions(), X_WSO2_PRODUCTION_ENDPOINTS);
        Object sandbox = extension(api.getExtensions(), X_WSO2_SANDBOX_ENDPOINTS);
        String type = endpointType(production);
        if (type == null) {
            type = endpointType(sandbox);
        }
        String productionUrl = endpointUrl(production);
        if (productionUrl == null) {
            productionUrl = firstServerUrl(api);
        }
        return new ApiEndpoints(type == null ? "http" : type, productionUrl, endpointUrl(sandbox));
    }

    private static String endpointUrl(Object endpoints) {
        if (endpoints instanceof Map<?, ?> map) {
            Object urls = map.get("urls");
            if (urls instanceof List<?> list) {
                return list.stream().map(OpenApiDefinitions::text).filter(u -> u != null).findFirst().orElse(null);
            }
            return text(urls);
        }
        return null;
    }

    private static String endpointType(Object endpoints) {
        return endpoints instanceof Map<?, ?> map ? text(map.get("type")) : null;
    }

    /** The first server's URL, with variables at their defaults, if it is an absolute http(s) URL. */
    private static String firstServerUrl(OpenAPI api) {
        if (api.getServers() == null || api.getServers().isEmpty() || api.getServers().get(0) == null) {
            return null;
        }
        Server server = api.getServers().get(0);
        String url = server.getUrl();
        if (url == null) {
            return null;
        }
        if (server.getVariables() != null) {
            for (Map.Entry<String, ServerVariable> v : server.getVariables().entrySet()) {
                if (v.getValue() != null && v.getValue().getDefault() != null) {
                    url = url.replace("{" + v.getKey() + "}", v.getValue().getDefault());
                }
            }
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme();
            if (scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null) {
                return url.trim();
            }
        } catch (Exception e) {
            // not a usable URL: no endpoint
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ writing helpers

    private static List<ApiOperation> normalize(List<ApiOperation> operations) {
        Map<String, ApiOperation> byKey = new LinkedHashMap<>();
        for (ApiOperation op : operations) {
            if (op == null || op.target() == null || op.target().isBlank() || op.verb() == null || op.verb().isBlank()) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "An operation needs a target and a verb");
            }
            String verb = op.verb().trim().toUpperCase(Locale.ROOT);
            if (!ApiOperation.VERBS.contains(verb)) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "Verb '%s' of '%s' is not one of %s",
                        op.verb(), op.target(), SUPPORTED_VERBS);
            }
            if (!op.target().startsWith("/")) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "Resource path '%s' must start with '/'",
                        op.target());
            }
            String auth = op.authType() == null || op.authType().isBlank() ? ApiOperation.DEFAULT_AUTH_TYPE : op.authType();
            String policy = op.throttlingPolicy() == null || op.throttlingPolicy().isBlank()
                    ? ApiOperation.DEFAULT_THROTTLING_POLICY : op.throttlingPolicy();
            ApiOperation normalized = new ApiOperation(op.target(), verb, auth, policy, op.scopes());
            if (byKey.putIfAbsent(normalized.key(), normalized) != null) {
                throw DomainException.of(DomainError.INVALID_OPERATION, "Operation %s is defined twice", normalized.key());
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static Operation newOperation(ApiOperation op, PathItem item, boolean v31, Set<String> oauth2Schemes) {
        Operation operation = new Operation();
        List<Parameter> parameters = templateParameters(op.target(), item, v31);
        if (!parameters.isEmpty()) {
            operation.setParameters(parameters);
        }
        operation.setResponses(new ApiResponses().addApiResponse("200", new ApiResponse().description("OK")));
        applyOperation(operation, op, oauth2Schemes);
        return operation;
    }

    /** Writes the WSO2 view of one operation into an existing (or new) OpenAPI operation. */
    private static void applyOperation(Operation operation, ApiOperation op, Set<String> oauth2Schemes) {
        if (!op.isSecured()) {
            operation.setSecurity(new ArrayList<>());
        } else {
            List<SecurityRequirement> updated = new ArrayList<>();
            boolean hasDefault = false;
            List<SecurityRequirement> current = operation.getSecurity() == null ? List.of() : operation.getSecurity();
            for (SecurityRequirement requirement : current) {
                SecurityRequirement copy = new SecurityRequirement();
                for (Map.Entry<String, List<String>> e : requirement.entrySet()) {
                    if (DEFAULT_SECURITY_SCHEME.equals(e.getKey())) {
                        copy.addList(e.getKey(), new ArrayList<>(op.scopes()));
                        hasDefault = true;
                    } else if (oauth2Schemes.contains(e.getKey())) {
                        List<String> kept = new ArrayList<>(e.getValue() == null ? List.of() : e.getValue());
                        kept.retainAll(op.scopes());
                        copy.addList(e.getKey(), kept);
                    } else {
                        copy.addList(e.getKey(), e.getValue() == null ? new ArrayList<>() : e.getValue());
                    }
                }
                if (!copy.isEmpty()) {
                    updated.add(copy);
                }
            }
            if (!hasDefault) {
                updated.add(0, new SecurityRequirement().addList(DEFAULT_SECURITY_SCHEME, new ArrayList<>(op.scopes())));
            }
            operation.setSecurity(updated);
        }
        Map<String, Object> extensions = operation.getExtensions() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(operation.getExtensions());
        extensions.put(X_AUTH_TYPE, op.authType());
        extensions.put(X_THROTTLING_TIER, op.throttlingPolicy());
        if (extensions.containsKey(X_SCOPE)) {
            Object xScope = extensions.get(X_SCOPE);
            if (op.scopes().isEmpty()) {
                extensions.remove(X_SCOPE);
            } else if (!(xScope instanceof String s && op.scopes().contains(s))) {
                extensions.put(X_SCOPE, op.scopes().get(0));
            }
        }
        operation.setExtensions(extensions);
    }

    /**
     * A required path parameter for every {@code {name}} of the template that the path item does not
     * already declare. As in WSO2, that includes names in a query template ({@code /search?q={query}}), which
     * the parser would otherwise report as undeclared path parameters.
     */
    private static List<Parameter> templateParameters(String target, PathItem item, boolean v31) {
        Set<String> declared = new LinkedHashSet<>();
        if (item != null && item.getParameters() != null) {
            item.getParameters().stream().filter(p -> p != null && p.getName() != null && "path".equals(p.getIn()))
                    .forEach(p -> declared.add(p.getName()));
        }
        List<Parameter> parameters = new ArrayList<>();
        Matcher m = TEMPLATE_PARAMETER.matcher(target);
        while (m.find()) {
            String name = m.group(1).trim();
            if (!name.isEmpty() && declared.add(name)) {
                Schema<String> schema = new Schema<>();
                schema.setType("string");
                if (v31) {
                    schema.setTypes(new LinkedHashSet<>(List.of("string")));
                }
                parameters.add(new Parameter().name(name).in("path").required(true).schema(schema));
            }
        }
        return parameters;
    }

    /** Components, security scheme, base path and endpoints: the API-wide parts WSO2 keeps in the document. */
    private static void applyApiLevel(OpenAPI api, ApiDefinition definition) {
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        Map<String, SecurityScheme> schemes = components.getSecuritySchemes() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(components.getSecuritySchemes());
        components.setSecuritySchemes(schemes);

        Set<String> scopeNames = new LinkedHashSet<>();
        definition.scopes().stream().filter(s -> s != null && s.name() != null).forEach(s -> scopeNames.add(s.name()));
        for (SecurityScheme scheme : schemes.values()) {
            if (isOauth2(scheme) && scheme.getFlows() != null) {
                for (OAuthFlow flow : flows(scheme.getFlows())) {
                    if (flow.getScopes() != null) {
                        flow.getScopes().keySet().retainAll(scopeNames);
                    }
                }
            }
        }
        SecurityScheme scheme = schemes.get(DEFAULT_SECURITY_SCHEME);
        if (!isOauth2(scheme) || scheme.get$ref() != null) {
            scheme = new SecurityScheme().type(SecurityScheme.Type.OAUTH2);
            schemes.put(DEFAULT_SECURITY_SCHEME, scheme);
        }
        OAuthFlows flows = scheme.getFlows() == null ? new OAuthFlows() : scheme.getFlows();
        scheme.setFlows(flows);
        OAuthFlow implicit = flows.getImplicit() == null ? new OAuthFlow() : flows.getImplicit();
        flows.setImplicit(implicit);
        if (implicit.getAuthorizationUrl() == null || implicit.getAuthorizationUrl().isBlank()) {
            implicit.setAuthorizationUrl(DEFAULT_AUTHORIZATION_URL);
        }
        Scopes scopes = new Scopes();
        Map<String, String> bindings = new LinkedHashMap<>();
        for (ApiScope scope : definition.scopes()) {
            if (scope != null && scope.name() != null) {
                scopes.addString(scope.name(), scope.description() == null ? "" : scope.description());
                bindings.put(scope.name(), String.join(",", scope.bindings()));
            }
        }
        implicit.setScopes(scopes);
        Map<String, Object> flowExtensions = implicit.getExtensions() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(implicit.getExtensions());
        flowExtensions.put(X_SCOPES_BINDINGS, bindings);
        implicit.setExtensions(flowExtensions);

        Map<String, Object> extensions = api.getExtensions() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(api.getExtensions());
        syncLegacyScopes(extensions, definition.scopes());
        if (definition.context() != null && definition.version() != null) {
            extensions.put(X_WSO2_BASE_PATH, definition.gatewayContext());
        }
        ApiEndpoints endpoints = definition.endpoints();
        String type = endpoints.endpointType() == null || endpoints.endpointType().isBlank()
                ? "http" : endpoints.endpointType();
        putEndpoint(extensions, X_WSO2_PRODUCTION_ENDPOINTS, endpoints.hasProduction() ? endpoints.productionUrl() : null, type);
        putEndpoint(extensions, X_WSO2_SANDBOX_ENDPOINTS, endpoints.hasSandbox() ? endpoints.sandboxUrl() : null, type);
        api.setExtensions(extensions.isEmpty() ? null : extensions);
    }

    private static void putEndpoint(Map<String, Object> extensions, String key, String url, String type) {
        if (url == null) {
            extensions.remove(key);
            return;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("urls", List.of(url));
        value.put("type", type);
        extensions.put(key, value);
    }

    /** Rewrites WSO2's legacy scope list, if the document has one, so it cannot contradict the API. */
    @SuppressWarnings("unchecked")
    private static void syncLegacyScopes(Map<String, Object> extensions, List<ApiScope> apiScopes) {
        if (!(extensions.get(X_WSO2_SECURITY) instanceof Map<?, ?> security)
                || !(security.get("apim") instanceof Map<?, ?> apim) || !apim.containsKey(X_WSO2_SCOPES)) {
            return;
        }
        List<Map<String, Object>> legacy = new ArrayList<>();
        for (ApiScope scope : apiScopes) {
            if (scope == null || scope.name() == null) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", scope.displayName() == null ? scope.name() : scope.displayName());
            entry.put("description", scope.description() == null ? "" : scope.description());
            entry.put("key", scope.name());
            entry.put("roles", String.join(",", scope.bindings()));
            legacy.add(entry);
        }
        Map<String, Object> newApim = new LinkedHashMap<>((Map<String, Object>) apim);
        newApim.put(X_WSO2_SCOPES, legacy);
        Map<String, Object> newSecurity = new LinkedHashMap<>((Map<String, Object>) security);
        newSecurity.put("apim", newApim);
        extensions.put(X_WSO2_SECURITY, newSecurity);
    }

    private static Map<String, List<String>> verbOrder(List<ApiOperation> operations) {
        Map<String, List<String>> order = new LinkedHashMap<>();
        for (ApiOperation op : operations) {
            order.computeIfAbsent(op.target(), t -> new ArrayList<>()).add(op.verb().toLowerCase(Locale.ROOT));
        }
        return order;
    }

    /**
     * Pretty JSON of the model, with paths and their verbs in the given order (the model itself always
     * writes verbs in OpenAPI's fixed order).
     */
    private static String toJson(OpenAPI api, Map<String, List<String>> verbOrder) {
        ObjectMapper mapper = api.getSpecVersion() == SpecVersion.V31 ? Json31.mapper() : Json.mapper();
        ObjectNode tree = mapper.valueToTree(api);
        if (tree.get("paths") instanceof ObjectNode paths) {
            ObjectNode ordered = mapper.createObjectNode();
            verbOrder.forEach((target, verbs) -> {
                JsonNode item = paths.get(target);
                if (item != null) {
                    ordered.set(target, item instanceof ObjectNode o ? orderVerbs(o, verbs, mapper) : item);
                }
            });
            paths.fields().forEachRemaining(e -> {
                if (!ordered.has(e.getKey())) {
                    ordered.set(e.getKey(), e.getValue());
                }
            });
            tree.set("paths", ordered);
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialize an OpenAPI model", e);
        }
    }

    private static ObjectNode orderVerbs(ObjectNode item, List<String> verbs, ObjectMapper mapper) {
        ObjectNode ordered = mapper.createObjectNode();
        boolean verbsWritten = false;
        Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (VERB_KEYS.contains(e.getKey())) {
                if (!verbsWritten) {
                    for (String verb : verbs) {
                        if (item.has(verb)) {
                            ordered.set(verb, item.get(verb));
                        }
                    }
                    verbsWritten = true;
                }
                if (!ordered.has(e.getKey())) {
                    ordered.set(e.getKey(), e.getValue());
                }
            } else {
                ordered.set(e.getKey(), e.getValue());
            }
        }
        return ordered;
    }

    // ------------------------------------------------------------------------------------------ small helpers

    private static PathItem resolvePathItem(OpenAPI api, PathItem item) {
        if (item == null || item.get$ref() == null) {
            return item;
        }
        String ref = item.get$ref();
        if (ref.startsWith(PATH_ITEM_REF_PREFIX) && api.getComponents() != null
                && api.getComponents().getPathItems() != null) {
            PathItem resolved = api.getComponents().getPathItems().get(ref.substring(PATH_ITEM_REF_PREFIX.length()));
            if (resolved != null) {
                return resolved;
            }
        }
        return item;
    }

    private static Map<String, SecurityScheme> securitySchemes(OpenAPI api) {
        return api.getComponents() == null || api.getComponents().getSecuritySchemes() == null
                ? Map.of() : api.getComponents().getSecuritySchemes();
    }

    private static Set<String> oauth2SchemeNames(Map<String, SecurityScheme> schemes) {
        Set<String> names = new LinkedHashSet<>();
        schemes.forEach((name, scheme) -> {
            if (isOauth2(scheme)) {
                names.add(name);
            }
        });
        return names;
    }

    private static boolean isOauth2(SecurityScheme scheme) {
        return scheme != null && scheme.getType() == SecurityScheme.Type.OAUTH2;
    }

    private static List<OAuthFlow> flows(OAuthFlows flows) {
        return Arrays.asList(flows.getImplicit(), flows.getPassword(), flows.getClientCredentials(),
                flows.getAuthorizationCode()).stream().filter(f -> f != null).toList();
    }

    private static Map<String, List<String>> bindings(Object value) {
        Map<String, List<String>> bindings = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((scope, roles) -> bindings.put(String.valueOf(scope), roles(roles)));
        }
        return bindings;
    }

    /** WSO2 writes roles as one comma-separated string; a list is accepted too. */
    private static List<String> roles(Object value) {
        List<String> roles = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> {
                String role = text(v);
                if (role != null) {
                    roles.add(role);
                }
            });
        } else if (value != null) {
            for (String role : String.valueOf(value).split(",")) {
                if (!role.isBlank()) {
                    roles.add(role.trim());
                }
            }
        }
        return roles;
    }

    private static Object extension(Map<String, Object> extensions, String key) {
        return extensions == null ? null : extensions.get(key);
    }

    private static String text(Object value) {
        if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
            return null;
        }
        String s = String.valueOf(value).trim();
        return s.isEmpty() ? null : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void requireDefinition(ApiDefinition definition) {
        if (definition == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "An API definition is required");
        }
    }

    private static DomainException malformed(String description) {
        return DocumentReader.malformed(description);
    }

    /** At most {@value #MAX_REPORTED_MESSAGES} messages, joined, with a count of the rest. */
    static String summarize(List<String> messages) {
        List<String> shown = messages.subList(0, Math.min(MAX_REPORTED_MESSAGES, messages.size()));
        StringBuilder sb = new StringBuilder();
        for (String message : shown) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(DocumentReader.detail(message));
        }
        if (messages.size() > shown.size()) {
            sb.append(" (and ").append(messages.size() - shown.size()).append(" more)");
        }
        return sb.toString();
    }
}
