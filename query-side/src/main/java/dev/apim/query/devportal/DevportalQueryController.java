package dev.apim.query.devportal;

import dev.apim.query.publisher.DocumentContent;
import dev.apim.platform.web.QueryParams;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.GatewayEnvironments;
import dev.apim.platform.config.Roles;
import dev.apim.platform.openapi.OpenApiDefinitions;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.query.publisher.ApiReadModel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Developer Portal v3 API discovery on WSO2's paths: search and list, one API, its OpenAPI document and its
 * documents. Only what the caller may see exists: anything else answers 404, never 403.
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
@RequestMapping("/api/am/devportal/v3")
public class DevportalQueryController {

    static final int MAX_LIMIT = 1000;
    static final Set<String> SEARCH_KEYS = Set.of("name", "tag", "context", "description", "provider", "version");
    /** Gateway listener ports (DESIGN §8) used to render endpoint URLs. */
    static final int GATEWAY_HTTP_PORT = 8280;
    static final int GATEWAY_HTTPS_PORT = 8243;

    private final ApiSearchReadModel search;
    private final ApiReadModel apis;
    private final OpenApiDefinitions openApi;
    private final GatewayEnvironments environments;

    public DevportalQueryController(ApiSearchReadModel search, ApiReadModel apis, OpenApiDefinitions openApi,
                                    GatewayEnvironments environments) {
        this.search = search;
        this.apis = apis;
        this.openApi = openApi;
        this.environments = environments;
    }

    @GetMapping("/apis")
    public Mono<DevportalDtos.ApiList> listApis(@RequestParam(required = false) String limit,
                                                @RequestParam(required = false) String offset,
                                                @RequestParam(required = false) String query, Caller caller) {
        int lim = QueryParams.intParam("limit", limit, 25, 1, MAX_LIMIT);
        int off = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        ApiSearchReadModel.Search parsed = parseQuery(query);
        return search.search(caller.tenant(), caller.roles(), parsed, lim, off).map(page -> {
            List<DevportalDtos.ApiInfo> list = page.rows().stream().map(DevportalQueryController::info).toList();
            String base = "/apis?limit=" + lim + "&offset=";
            String q = query == null || query.isBlank() ? "" : "&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
            String next = off + lim < page.total() ? base + (off + lim) + q : "";
            String previous = off > 0 ? base + Math.max(0, off - lim) + q : "";
            return new DevportalDtos.ApiList(list.size(), list,
                    new DevportalDtos.Pagination(off, lim, page.total(), next, previous));
        });
    }

    @GetMapping("/apis/{apiId}")
    public Mono<DevportalDtos.Api> getApi(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).flatMap(row -> apis.deployments(apiId).collectList()
                .map(deployments -> toApi(row, deployments)));
    }

    @GetMapping(path = "/apis/{apiId}/swagger", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<String> getOpenApi(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).map(row -> row.openApi() == null ? openApi.generate(row.definition())
                : openApi.update(row.openApi(), row.definition()));
    }

    @GetMapping("/apis/{apiId}/documents")
    public Mono<DevportalDtos.DocumentList> documents(@PathVariable String apiId,
                                                      @RequestParam(required = false) String limit,
                                                      @RequestParam(required = false) String offset, Caller caller) {
        int lim = QueryParams.intParam("limit", limit, 25, 1, MAX_LIMIT);
        int off = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        return api(caller, apiId).flatMap(row -> apis.documents(apiId)
                .filter(DevportalQueryController::shownInDevportal)
                .map(DevportalQueryController::document)
                .collectList()
                .map(all -> {
                    List<DevportalDtos.Document> page = all.stream().skip(off).limit(lim).toList();
                    return new DevportalDtos.DocumentList(page.size(), page,
                            new DevportalDtos.Pagination(off, lim, all.size(), "", ""));
                }));
    }

    @GetMapping("/apis/{apiId}/documents/{documentId}")
    public Mono<DevportalDtos.Document> document(@PathVariable String apiId, @PathVariable String documentId,
                                                 Caller caller) {
        return api(caller, apiId).flatMap(row -> documentRow(apiId, documentId)).map(DevportalQueryController::document);
    }

    @GetMapping("/apis/{apiId}/documents/{documentId}/content")
    public Mono<ResponseEntity<String>> documentContent(@PathVariable String apiId, @PathVariable String documentId,
                                                        Caller caller) {
        return api(caller, apiId).flatMap(row -> documentRow(apiId, documentId)).map(DocumentContent::response);
    }

    // ---- helpers ----

    /** The API if the caller may see it, else 404 API_NOT_FOUND whether or not it exists. */
    private Mono<ApiReadModel.ApiRow> api(Caller caller, String apiId) {
        Mono<ApiReadModel.ApiRow> notFound = Mono.error(() -> DomainException.of(DomainError.API_NOT_FOUND,
                "Requested API with id '%s' not found", apiId.length() > 64 ? apiId.substring(0, 64) : apiId));
        if (apiId.length() > 64) {
            return notFound;
        }
        return search.visible(caller.tenant(), caller.roles(), apiId)
                .flatMap(visible -> apis.api(caller.tenant(), apiId))
                .switchIfEmpty(notFound);
    }

    private Mono<ApiReadModel.DocumentRow> documentRow(String apiId, String documentId) {
        return apis.document(apiId, documentId).filter(DevportalQueryController::shownInDevportal)
                .switchIfEmpty(Mono.error(() -> DomainException.of(DomainError.DOCUMENT_NOT_FOUND,
                        "Document %s not found in API %s", documentId.length() > 64 ? documentId.substring(0, 64)
                                : documentId, apiId)));
    }

    /** WSO2 shows API_LEVEL documents (the default) in the Developer Portal; PRIVATE and OWNER_ONLY stay hidden. */
    static boolean shownInDevportal(ApiReadModel.DocumentRow doc) {
        return doc.visibility() == null || "API_LEVEL".equals(doc.visibility());
    }

    static ApiSearchReadModel.Search parseQuery(String query) {
        if (query == null || query.isBlank()) {
            return new ApiSearchReadModel.Search(null, Map.of());
        }
        if (query.length() > 256) {
            throw ApiException.badRequest("'query' must be at most 256 characters");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (String token : query.trim().split("\\s+")) {
            int colon = token.indexOf(':');
            if (colon > 0) {
                String key = token.substring(0, colon).toLowerCase(Locale.ROOT);
                String value = token.substring(colon + 1);
                if (!SEARCH_KEYS.contains(key)) {
                    throw ApiException.badRequest("Unknown search attribute '" + key + "'; use one of " + SEARCH_KEYS
                            + " or plain text");
                }
                if (value.isEmpty()) {
                    throw ApiException.badRequest("Search attribute '" + key + "' needs a value");
                }
                fields.put(key, value);
            } else {
                text.append(text.isEmpty() ? "" : " ").append(token);
            }
        }
        return new ApiSearchReadModel.Search(text.isEmpty() ? null : text.toString(), fields);
    }


    private static DevportalDtos.ApiInfo info(ApiSearchReadModel.Row row) {
        return new DevportalDtos.ApiInfo(row.apiId(), row.name(), row.description(), row.context(), row.version(),
                row.type(), row.provider(), row.lifecycleStatus(), row.policies(), null, "0.0", !row.policies().isEmpty(),
                millis(row.created()), millis(row.updated()));
    }

    private DevportalDtos.Api toApi(ApiReadModel.ApiRow row, List<ApiReadModel.DeploymentRow> deployments) {
        ApiDefinition d = row.definition();
        List<DevportalDtos.Tier> tiers = d.policies().stream()
                .map(p -> new DevportalDtos.Tier(p, "FREE", Map.of())).toList();
        List<DevportalDtos.Operation> operations = d.operations().stream()
                .map(o -> new DevportalDtos.Operation(o.target(), o.verb(), o.authType(), o.throttlingPolicy(), o.scopes()))
                .toList();
        return new DevportalDtos.Api(row.apiId(), d.name(), d.description(), d.context(), d.version(), d.provider(),
                row.lifecycleStatus(), d.isDefaultVersion(), d.type(), d.transport(), d.authorizationHeader(),
                d.securityScheme(), d.tags(), tiers, false, endpointUrls(d, deployments), d.businessInformation(),
                operations, "0.0", !tiers.isEmpty(), millis(row.created()), millis(row.updated()));
    }

    /** One entry per environment the API is deployed to and shown on the portal. */
    private List<DevportalDtos.EndpointUrl> endpointUrls(ApiDefinition d, List<ApiReadModel.DeploymentRow> deployments) {
        List<DevportalDtos.EndpointUrl> result = new ArrayList<>();
        for (ApiReadModel.DeploymentRow deployment : deployments) {
            if (!deployment.displayOnDevportal()) {
                continue;
            }
            String displayName = environments.environments().stream()
                    .filter(e -> e.name().equals(deployment.environment()))
                    .map(e -> e.displayName() == null ? e.name() : e.displayName())
                    .findFirst().orElse(deployment.environment());
            result.add(new DevportalDtos.EndpointUrl(deployment.environment(), displayName, "hybrid",
                    urls(d, deployment.vhost(), d.gatewayContext()),
                    d.isDefaultVersion() ? urls(d, deployment.vhost(), d.context().replace("/{version}", "")) : null));
        }
        return result;
    }

    private static DevportalDtos.Urls urls(ApiDefinition d, String vhost, String path) {
        List<String> transports = d.transport() == null ? List.of() : d.transport();
        return new DevportalDtos.Urls(
                transports.contains("http") ? "http://" + vhost + ":" + GATEWAY_HTTP_PORT + path : null,
                transports.contains("https") ? "https://" + vhost + ":" + GATEWAY_HTTPS_PORT + path : null,
                null, null);
    }

    private static DevportalDtos.Document document(ApiReadModel.DocumentRow d) {
        return new DevportalDtos.Document(d.documentId(), d.name(), d.type(), d.summary(), d.sourceType(),
                d.sourceUrl(), d.otherTypeName(), d.visibility(), millis(d.created()), millis(d.updated()));
    }

    private static String millis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }
}
