package dev.apim.command.publisher;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.command.support.CommandReceipt;
import dev.apim.domain.api.Api;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiDocument;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.LifecycleAction;
import dev.apim.domain.api.RevisionDeployment;
import dev.apim.domain.api.command.AddApiDocument;
import dev.apim.domain.api.command.ChangeApiLifecycle;
import dev.apim.domain.api.command.CreateApi;
import dev.apim.domain.api.command.CreateApiRevision;
import dev.apim.domain.api.command.DeleteApi;
import dev.apim.domain.api.command.DeleteApiDocument;
import dev.apim.domain.api.command.DeleteApiRevision;
import dev.apim.domain.api.command.DeployApiRevision;
import dev.apim.domain.api.command.UndeployApiRevision;
import dev.apim.domain.api.command.UpdateApi;
import dev.apim.domain.api.command.UpdateApiDocument;
import dev.apim.domain.api.command.UpdateApiDocumentContent;
import dev.apim.domain.api.command.UpdateApiOpenApi;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.GatewayEnvironments;
import dev.apim.platform.openapi.OpenApiDefinitions;
import dev.apim.platform.openapi.ParsedOpenApi;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.web.ErrorResponses;
import dev.apim.platform.web.Multipart;
import dev.apim.platform.wso2.publisher.ApiDto;
import dev.apim.platform.wso2.publisher.ApiDtoMapper;
import dev.apim.platform.wso2.publisher.DeploymentDto;
import dev.apim.platform.wso2.publisher.DocumentDto;
import dev.apim.platform.wso2.publisher.LifecycleDtos;
import dev.apim.platform.wso2.publisher.RevisionDto;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publisher v4 writes on WSO2's paths: APIs, OpenAPI import, lifecycle, revisions, deployments and documents.
 * Each request becomes one command; reads live on the query side.
 */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/publisher/v4")
public class PublisherCommandController {

    private static final int MAX_DEFINITION_BYTES = 5 * 1024 * 1024;

    private final CommandDispatcher commands;
    private final OpenApiDefinitions openApi;
    private final GatewayEnvironments environments;
    private final JsonMapper json;

    public PublisherCommandController(CommandDispatcher commands, OpenApiDefinitions openApi,
                                      GatewayEnvironments environments, JsonMapper json) {
        this.commands = commands;
        this.openApi = openApi;
        this.environments = environments;
        this.json = json;
    }

    @PostMapping(path = "/apis", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApiDto>> createApi(@RequestBody ApiDto body, Caller caller, ServerWebExchange exchange) {
        ApiDefinition definition = ApiDtoMapper.toDefinition(body, caller.username()).validated();
        return create(definition, null, caller, exchange);
    }

    @PostMapping(path = "/apis/import-openapi", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Mono<ResponseEntity<ApiDto>> importOpenApi(Caller caller, ServerWebExchange exchange) {
        return Multipart.fields(exchange, MAX_DEFINITION_BYTES).flatMap(fields -> {
            if (fields.containsKey("url")) {
                throw ApiException.badRequest("Importing a definition from a URL is disabled on this server; "
                        + "send the document as 'file' or 'inlineAPIDefinition'");
            }
            String document = fields.getOrDefault("file", fields.get("inlineAPIDefinition"));
            if (document == null) {
                throw ApiException.badRequest("Send the OpenAPI document as the multipart part 'file' or "
                        + "'inlineAPIDefinition'");
            }
            ParsedOpenApi parsed = openApi.parse(document);
            ApiDto extra = fields.containsKey("additionalProperties")
                    ? readJson(fields.get("additionalProperties"), "additionalProperties") : null;
            ApiDefinition definition = importedDefinition(parsed, extra, caller.username()).validated();
            return create(definition, parsed.definition(), caller, exchange);
        });
    }

    @PutMapping(path = "/apis/{apiId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApiDto>> updateApi(@PathVariable String apiId, @RequestBody ApiDto body,
                                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                  Caller caller, ServerWebExchange exchange) {
        ApiDefinition definition = ApiDtoMapper.toDefinition(body, caller.username()).validated();
        Long expected = Preconditions.expectedVersion(ifMatch);
        return commands.send(new UpdateApi(apiId, expected, definition, null), caller, exchange)
                .map(receipt -> {
                    Api.Status status = (Api.Status) receipt.result();
                    return ResponseEntity.ok(ApiDtoMapper.toDto(apiId, definition, status.state().name(),
                            status.createdAt(), receipt.timestamp()));
                });
    }

    @PutMapping(path = "/apis/{apiId}/swagger", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> updateOpenApi(@PathVariable String apiId,
                                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      Caller caller, ServerWebExchange exchange) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        return Multipart.fields(exchange, MAX_DEFINITION_BYTES).flatMap(fields -> {
            String document = fields.getOrDefault("apiDefinition", fields.get("file"));
            if (document == null) {
                throw ApiException.badRequest("Send the OpenAPI document as the multipart part 'apiDefinition' or 'file'");
            }
            ParsedOpenApi parsed = openApi.parse(document);
            return commands.send(new UpdateApiOpenApi(apiId, expected, parsed.definition(), parsed.operations(),
                            parsed.scopes()), caller, exchange)
                    .map(receipt -> ResponseEntity.ok(parsed.definition()));
        });
    }

    @DeleteMapping("/apis/{apiId}")
    public Mono<ResponseEntity<Void>> deleteApi(@PathVariable String apiId,
                                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                Caller caller, ServerWebExchange exchange) {
        return commands.send(new DeleteApi(apiId, Preconditions.expectedVersion(ifMatch)), caller, exchange)
                .map(receipt -> ResponseEntity.ok().build());
    }

    @PostMapping("/apis/change-lifecycle")
    public Mono<ResponseEntity<LifecycleDtos.WorkflowResponse>> changeLifecycle(
            @RequestParam String apiId, @RequestParam String action,
            @RequestParam(required = false) String lifecycleChecklist,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            Caller caller, ServerWebExchange exchange) {
        LifecycleAction lifecycleAction = LifecycleAction.fromWso2Name(action).orElseThrow(() -> DomainException.of(
                DomainError.INVALID_LIFECYCLE_ACTION, "'%s' is not a lifecycle action; use one of %s", action,
                java.util.Arrays.stream(LifecycleAction.values()).map(LifecycleAction::wso2Name).toList()));
        return commands.send(new ChangeApiLifecycle(apiId, Preconditions.expectedVersion(ifMatch), lifecycleAction),
                        caller, exchange)
                .map(receipt -> {
                    ApiLifecycleState next = (ApiLifecycleState) receipt.result();
                    return ResponseEntity.ok(new LifecycleDtos.WorkflowResponse("APPROVED", "",
                            LifecycleDtos.LifecycleState.of(next)));
                });
    }

    @PostMapping(path = "/apis/{apiId}/revisions")
    public Mono<ResponseEntity<RevisionDto>> createRevision(@PathVariable String apiId,
                                                            @RequestBody(required = false) RevisionRequest body,
                                                            Caller caller, ServerWebExchange exchange) {
        String revisionId = UUID.randomUUID().toString();
        String description = body == null ? null : body.description();
        if (description != null && description.length() > 255) {
            throw ApiException.badRequest("'description' must be at most 255 characters");
        }
        return commands.send(new CreateApiRevision(apiId, revisionId, description), caller, exchange)
                .map(receipt -> ResponseEntity.created(location(exchange, "/" + revisionId))
                        .body(new RevisionDto(RevisionDto.displayName((Integer) receipt.result()), revisionId,
                                description, millis(receipt.timestamp()),
                                new RevisionDto.ApiInfo(apiId), List.of())));
    }

    @DeleteMapping("/apis/{apiId}/revisions/{revisionId}")
    public Mono<ResponseEntity<Void>> deleteRevision(@PathVariable String apiId, @PathVariable String revisionId,
                                                     Caller caller, ServerWebExchange exchange) {
        return commands.send(new DeleteApiRevision(apiId, revisionId), caller, exchange)
                .map(receipt -> ResponseEntity.ok().build());
    }

    @PostMapping(path = "/apis/{apiId}/deploy-revision", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<List<DeploymentDto>>> deployRevision(@PathVariable String apiId,
                                                                    @RequestParam String revisionId,
                                                                    @RequestBody List<DeploymentDto> body,
                                                                    Caller caller, ServerWebExchange exchange) {
        List<RevisionDeployment> deployments = environments.resolve(body);
        return commands.send(new DeployApiRevision(apiId, revisionId, deployments), caller, exchange)
                .map(receipt -> {
                    String at = millis(receipt.timestamp());
                    return ResponseEntity.status(HttpStatus.CREATED).body(deployments.stream()
                            .map(d -> new DeploymentDto(revisionId, d.environment(), d.vhost(), d.displayOnDevportal(),
                                    "APPROVED", at, at))
                            .toList());
                });
    }

    @PostMapping(path = "/apis/{apiId}/undeploy-revision")
    public Mono<ResponseEntity<List<DeploymentDto>>> undeployRevision(
            @PathVariable String apiId, @RequestParam(required = false) String revisionId,
            @RequestParam(required = false) String revisionNumber,
            @RequestParam(required = false, defaultValue = "false") boolean allEnvironments,
            @RequestBody(required = false) List<DeploymentDto> body, Caller caller, ServerWebExchange exchange) {
        if (revisionId == null || revisionId.isBlank()) {
            throw ApiException.badRequest("The query parameter 'revisionId' is required");
        }
        List<String> names = new ArrayList<>();
        if (!allEnvironments) {
            if (body == null || body.isEmpty()) {
                throw ApiException.badRequest("List the environments to undeploy from, or set allEnvironments=true");
            }
            for (DeploymentDto d : body) {
                if (d == null || d.name() == null || d.name().isBlank()) {
                    throw ApiException.badRequest("Every deployment needs a 'name'");
                }
                names.add(d.name());
            }
        }
        return commands.send(new UndeployApiRevision(apiId, revisionId, names), caller, exchange)
                .map(receipt -> ResponseEntity.status(HttpStatus.CREATED).body(body == null ? List.of() : body));
    }

    @PostMapping(path = "/apis/{apiId}/documents", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<DocumentDto>> addDocument(@PathVariable String apiId, @RequestBody DocumentDto body,
                                                         Caller caller, ServerWebExchange exchange) {
        String documentId = UUID.randomUUID().toString();
        ApiDocument document = document(body);
        return commands.send(new AddApiDocument(apiId, documentId, document, null), caller, exchange)
                .map(receipt -> ResponseEntity.created(location(exchange, "/" + documentId))
                        .body(documentDto(documentId, document, caller, receipt.timestamp(), receipt.timestamp())));
    }

    @PutMapping(path = "/apis/{apiId}/documents/{documentId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<DocumentDto>> updateDocument(@PathVariable String apiId, @PathVariable String documentId,
                                                            @RequestBody DocumentDto body, Caller caller,
                                                            ServerWebExchange exchange) {
        ApiDocument document = document(body);
        return commands.send(new UpdateApiDocument(apiId, documentId, document), caller, exchange)
                .map(receipt -> ResponseEntity.ok(documentDto(documentId, document, caller, null, receipt.timestamp())));
    }

    @DeleteMapping("/apis/{apiId}/documents/{documentId}")
    public Mono<ResponseEntity<Void>> deleteDocument(@PathVariable String apiId, @PathVariable String documentId,
                                                     Caller caller, ServerWebExchange exchange) {
        return commands.send(new DeleteApiDocument(apiId, documentId), caller, exchange)
                .map(receipt -> ResponseEntity.ok().build());
    }

    @PostMapping(path = "/apis/{apiId}/documents/{documentId}/content", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Mono<ResponseEntity<Map<String, String>>> addDocumentContent(@PathVariable String apiId,
                                                                        @PathVariable String documentId,
                                                                        Caller caller, ServerWebExchange exchange) {
        return Multipart.fields(exchange, MAX_DEFINITION_BYTES).flatMap(fields -> {
            String content = fields.getOrDefault("inlineContent", fields.get("file"));
            if (content == null) {
                throw ApiException.badRequest("Send the content as the multipart part 'inlineContent'");
            }
            return commands.send(new UpdateApiDocumentContent(apiId, documentId, content), caller, exchange)
                    .map(receipt -> ResponseEntity.status(HttpStatus.CREATED)
                            .body(Map.of("documentId", documentId)));
        });
    }

    // ---- helpers ----

    private Mono<ResponseEntity<ApiDto>> create(ApiDefinition definition, String openApiDocument, Caller caller,
                                                ServerWebExchange exchange) {
        String apiId = UUID.randomUUID().toString();
        return commands.send(new CreateApi(apiId, caller.tenant(), definition, openApiDocument), caller, exchange)
                .map(receipt -> ResponseEntity.created(location(exchange, "/" + apiId))
                        .body(ApiDtoMapper.toDto(apiId, definition, ApiLifecycleState.CREATED.name(),
                                receipt.timestamp(), receipt.timestamp())));
    }

    private static ApiDefinition importedDefinition(ParsedOpenApi parsed, ApiDto extra, String provider) {
        ApiDefinition base = extra == null ? null : ApiDtoMapper.toDefinition(extra, provider);
        String name = base != null && base.name() != null ? base.name() : parsed.title();
        String version = base != null && base.version() != null ? base.version() : parsed.version();
        String context = base != null ? base.context() : null;
        var endpoints = base != null && (base.endpoints().hasProduction() || base.endpoints().hasSandbox())
                ? base.endpoints() : parsed.endpoints();
        return new ApiDefinition(name, base != null && base.description() != null ? base.description()
                : parsed.description(), context, version, base != null ? base.provider() : provider,
                base != null ? base.type() : null, base != null ? base.transport() : null,
                base != null ? base.tags() : null, base != null ? base.policies() : null,
                base != null ? base.apiThrottlingPolicy() : null, base != null ? base.authorizationHeader() : null,
                base != null ? base.securityScheme() : null, base != null ? base.visibility() : null,
                base != null ? base.visibleRoles() : null, base != null && base.isDefaultVersion(), endpoints,
                parsed.operations(), parsed.scopes(), base != null ? base.businessInformation() : null,
                base != null ? base.additionalProperties() : null);
    }

    private ApiDto readJson(String text, String part) {
        try {
            return json.readValue(text, ApiDto.class);
        } catch (RuntimeException e) {
            String detail = e instanceof tools.jackson.core.JacksonException jackson ? ErrorResponses.describe(jackson)
                    : "it is not valid JSON";
            throw ApiException.badRequest("The '" + part + "' part is not a valid API object: " + detail);
        }
    }

    private static ApiDocument document(DocumentDto body) {
        if (body == null) {
            throw ApiException.badRequest("A request body with the document is required");
        }
        return new ApiDocument(body.name(), body.type(), body.summary(), body.sourceType(), body.sourceUrl(),
                body.visibility(), body.otherTypeName());
    }

    /** The document as stored; {@code created} is null on an update (the write side does not keep it). */
    private static DocumentDto documentDto(String documentId, ApiDocument d, Caller caller, Instant created,
                                           Instant updated) {
        return new DocumentDto(documentId, d.name(), d.type(), d.summary(), d.sourceType(), d.sourceUrl(), null, null,
                d.otherTypeName(), d.visibility() == null ? "API_LEVEL" : d.visibility(), millis(created),
                created == null ? null : caller.username(), millis(updated), caller.username());
    }

    /** Epoch milliseconds as WSO2 writes times; null for a command that wrote no event. */
    private static String millis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }

    private static URI location(ServerWebExchange exchange, String suffix) {
        return URI.create(exchange.getRequest().getPath().value() + suffix);
    }

    /** Body of {@code POST /apis/{apiId}/revisions}. */
    public record RevisionRequest(String description) {}
}
