package dev.apim.query.publisher;

import dev.apim.platform.web.QueryParams;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.openapi.OpenApiDefinitions;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.publisher.ApiDto;
import dev.apim.platform.wso2.publisher.ApiDtoMapper;
import dev.apim.platform.wso2.publisher.DeploymentDto;
import dev.apim.platform.wso2.publisher.DocumentDto;
import dev.apim.platform.wso2.publisher.LifecycleDtos;
import dev.apim.platform.wso2.publisher.RevisionDto;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Publisher v4 reads on WSO2's paths, served from the {@code apimgtdb} read model. */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/publisher/v4")
public class PublisherQueryController {

    static final int MAX_LIMIT = 1000;
    private static final Set<String> SEARCH_KEYS = Set.of("name", "context", "version", "provider", "status");

    private final ApiReadModel apis;
    private final OpenApiDefinitions openApi;

    public PublisherQueryController(ApiReadModel apis, OpenApiDefinitions openApi) {
        this.apis = apis;
        this.openApi = openApi;
    }

    /** WSO2's {@code APIList}. */
    public record ApiList(int count, List<ApiInfo> list, Pagination pagination) {}

    /** WSO2's {@code APIInfo}. */
    public record ApiInfo(String id, String name, String description, String context, String version, String provider,
                          String type, String lifeCycleStatus, String workflowStatus, Boolean hasThumbnail,
                          List<String> securityScheme, String createdTime, String updatedTime) {}

    /** WSO2's {@code Pagination}. */
    public record Pagination(int offset, int limit, long total, String next, String previous) {}

    /** A WSO2 {@code count}/{@code list} wrapper. */
    public record ListOf<T>(int count, List<T> list) {}

    @GetMapping("/apis")
    public Mono<ApiList> listApis(@RequestParam(required = false) String limit,
                                  @RequestParam(required = false) String offset,
                                  @RequestParam(required = false) String query, Caller caller) {
        int lim = QueryParams.intParam("limit", limit, 25, 1, MAX_LIMIT);
        int off = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        ApiReadModel.Search search = parseQuery(query);
        return apis.apis(caller.tenant(), search, lim, off).map(page -> {
            List<ApiInfo> list = page.rows().stream().map(PublisherQueryController::info).toList();
            String base = "/apis?limit=" + lim + "&offset=";
            String next = off + lim < page.total() ? base + (off + lim) + queryPart(query) : "";
            String previous = off > 0 ? base + Math.max(0, off - lim) + queryPart(query) : "";
            return new ApiList(list.size(), list, new Pagination(off, lim, page.total(), next, previous));
        });
    }

    @GetMapping("/apis/{apiId}")
    public Mono<ResponseEntity<ApiDto>> getApi(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).map(row -> ResponseEntity.ok()
                .eTag("\"" + row.version() + "\"")
                .body(ApiDtoMapper.toDto(row.apiId(), row.definition(), row.lifecycleStatus(), row.created(),
                        row.updated())));
    }

    @GetMapping(path = "/apis/{apiId}/swagger", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> getOpenApi(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).map(row -> ResponseEntity.ok()
                .eTag("\"" + row.version() + "\"")
                .body(row.openApi() == null ? openApi.generate(row.definition())
                        : openApi.update(row.openApi(), row.definition())));
    }

    @GetMapping("/apis/{apiId}/lifecycle-history")
    public Mono<LifecycleDtos.History> lifecycleHistory(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).flatMap(row -> apis.history(apiId)
                .map(h -> new LifecycleDtos.HistoryItem(display(h.previousState()), display(h.postState()), h.user(),
                        millis(h.updated())))
                .collectList()
                .map(list -> new LifecycleDtos.History(list.size(), list)));
    }

    @GetMapping("/apis/{apiId}/lifecycle-state")
    public Mono<LifecycleDtos.LifecycleState> lifecycleState(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).map(row -> LifecycleDtos.LifecycleState.of(ApiLifecycleState.valueOf(row.lifecycleStatus())));
    }

    @GetMapping("/apis/{apiId}/revisions")
    public Mono<ListOf<RevisionDto>> revisions(@PathVariable String apiId,
                                               @RequestParam(required = false) String query, Caller caller) {
        boolean deployedOnly = query != null && query.replace(" ", "").equalsIgnoreCase("deployed:true");
        if (query != null && !query.isBlank() && !deployedOnly && !query.replace(" ", "").equalsIgnoreCase("deployed:false")) {
            throw ApiException.badRequest("The revisions query supports only 'deployed:true' or 'deployed:false'");
        }
        return api(caller, apiId).flatMap(row -> apis.deployments(apiId).collectList().flatMap(deployments ->
                apis.revisions(apiId)
                        .map(rev -> revisionDto(rev, deployments))
                        .filter(dto -> !deployedOnly || !dto.deploymentInfo().isEmpty())
                        .collectList()
                        .map(list -> new ListOf<>(list.size(), list))));
    }

    @GetMapping("/apis/{apiId}/revisions/{revisionId}")
    public Mono<RevisionDto> revision(@PathVariable String apiId, @PathVariable String revisionId, Caller caller) {
        return api(caller, apiId).flatMap(row -> apis.deployments(apiId).collectList().flatMap(deployments ->
                apis.revisions(apiId).filter(r -> r.revisionId().equals(revisionId)).next()
                        .map(rev -> revisionDto(rev, deployments))
                        .switchIfEmpty(Mono.error(() -> DomainException.of(DomainError.API_REVISION_NOT_FOUND,
                                "Requested API Revision with id %s not found", revisionId)))));
    }

    @GetMapping("/apis/{apiId}/deployments")
    public Mono<ListOf<DeploymentDto>> deployments(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).flatMap(row -> apis.deployments(apiId).map(PublisherQueryController::deploymentDto)
                .collectList().map(list -> new ListOf<>(list.size(), list)));
    }

    @GetMapping("/apis/{apiId}/documents")
    public Mono<ListOf<DocumentDto>> documents(@PathVariable String apiId, Caller caller) {
        return api(caller, apiId).flatMap(row -> apis.documents(apiId).map(PublisherQueryController::documentDto)
                .collectList().map(list -> new ListOf<>(list.size(), list)));
    }

    @GetMapping("/apis/{apiId}/documents/{documentId}")
    public Mono<DocumentDto> document(@PathVariable String apiId, @PathVariable String documentId, Caller caller) {
        return api(caller, apiId).flatMap(row -> documentRow(apiId, documentId)).map(PublisherQueryController::documentDto);
    }

    @GetMapping("/apis/{apiId}/documents/{documentId}/content")
    public Mono<ResponseEntity<String>> documentContent(@PathVariable String apiId, @PathVariable String documentId,
                                                        Caller caller) {
        return api(caller, apiId).flatMap(row -> documentRow(apiId, documentId)).map(DocumentContent::response);
    }

    // ---- helpers ----

    private Mono<ApiReadModel.ApiRow> api(Caller caller, String apiId) {
        return apis.api(caller.tenant(), apiId).switchIfEmpty(Mono.error(() -> DomainException.of(
                DomainError.API_NOT_FOUND, "Requested API with id '%s' not found", apiId)));
    }

    private Mono<ApiReadModel.DocumentRow> documentRow(String apiId, String documentId) {
        return apis.document(apiId, documentId).switchIfEmpty(Mono.error(() -> DomainException.of(
                DomainError.DOCUMENT_NOT_FOUND, "Document %s not found in API %s", documentId, apiId)));
    }

    static ApiReadModel.Search parseQuery(String query) {
        if (query == null || query.isBlank()) {
            return new ApiReadModel.Search(null, Map.of());
        }
        if (query.length() > 256) {
            throw ApiException.badRequest("'query' must be at most 256 characters");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (String token : query.trim().split("\\s+")) {
            int colon = token.indexOf(':');
            if (colon > 0) {
                String key = token.substring(0, colon).toLowerCase();
                if (!SEARCH_KEYS.contains(key)) {
                    throw ApiException.badRequest("Unknown search attribute '" + key + "'; use one of " + SEARCH_KEYS
                            + " or plain text");
                }
                fields.put(key, token.substring(colon + 1));
            } else {
                text.append(text.isEmpty() ? "" : " ").append(token);
            }
        }
        return new ApiReadModel.Search(text.isEmpty() ? null : text.toString(), fields);
    }


    private static String queryPart(String query) {
        return query == null || query.isBlank() ? "" : "&query=" + java.net.URLEncoder.encode(query,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ApiInfo info(ApiReadModel.ApiRow row) {
        var d = row.definition();
        return new ApiInfo(row.apiId(), d.name(), d.description(), d.context(), d.version(), d.provider(), d.type(),
                row.lifecycleStatus(), null, false, d.securityScheme(), millis(row.created()), millis(row.updated()));
    }

    private static RevisionDto revisionDto(ApiReadModel.RevisionRow rev, List<ApiReadModel.DeploymentRow> deployments) {
        List<DeploymentDto> info = deployments.stream().filter(d -> d.revisionId().equals(rev.revisionId()))
                .map(PublisherQueryController::deploymentDto).toList();
        return new RevisionDto(RevisionDto.displayName(rev.number()), rev.revisionId(), rev.description(),
                millis(rev.created()), new RevisionDto.ApiInfo(rev.apiId()), info);
    }

    private static DeploymentDto deploymentDto(ApiReadModel.DeploymentRow d) {
        return new DeploymentDto(d.revisionId(), d.environment(), d.vhost(), d.displayOnDevportal(), "APPROVED",
                millis(d.deployed()), millis(d.deployed()));
    }

    private static DocumentDto documentDto(ApiReadModel.DocumentRow d) {
        return new DocumentDto(d.documentId(), d.name(), d.type(), d.summary(), d.sourceType(), d.sourceUrl(), null,
                null, d.otherTypeName(), d.visibility(), millis(d.created()), d.createdBy(), millis(d.updated()),
                d.updatedBy());
    }

    private static String display(String state) {
        return state == null ? null : ApiLifecycleState.valueOf(state).name();
    }

    private static String millis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }
}
