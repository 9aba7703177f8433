package dev.apim.domain.api;

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
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import dev.apim.domain.api.event.ApiDocumentAdded;
import dev.apim.domain.api.event.ApiDocumentContentUpdated;
import dev.apim.domain.api.event.ApiDocumentDeleted;
import dev.apim.domain.api.event.ApiDocumentUpdated;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiRevisionCreated;
import dev.apim.domain.api.event.ApiRevisionDeleted;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiRevisionUndeployed;
import dev.apim.domain.api.event.ApiUpdated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * An API as a provider designs and runs it: its definition, WSO2 lifecycle state, revisions, gateway
 * deployments and documents. Command handlers decide; event-sourcing handlers only assign.
 */
public class Api {

    /** WSO2's default limit on revisions kept per API. */
    public static final int MAX_REVISIONS = 5;

    @AggregateIdentifier
    private String apiId;
    private String tenant;
    private ApiDefinition definition;
    private String openApiDefinition;
    private ApiLifecycleState state;
    private Instant createdAt;
    private int lastRevisionNumber;
    private Map<String, Revision> revisions = new LinkedHashMap<>();
    /** Environment name to the id of the revision it serves. */
    private Map<String, String> deployments = new LinkedHashMap<>();
    private Map<String, ApiDocument> documents = new LinkedHashMap<>();

    /** What an update answers: the API's lifecycle state and when it was created. */
    public record Status(ApiLifecycleState state, Instant createdAt) {}

    /** A revision as the aggregate remembers it (the full snapshot is in the event). */
    public record Revision(String revisionId, int number, ApiDefinition definition, String openApiDefinition) {}

    protected Api() {
        // for Axon and snapshot deserialization
    }

    @CommandHandler
    public Api(CreateApi command, ApiContextRegistry contexts) {
        requireText(command.apiId(), "apiId");
        requireText(command.tenant(), "tenant");
        if (command.definition() == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The API definition is required");
        }
        ApiDefinition definition = command.definition().validated();
        contexts.claim(command.tenant(), definition.context(), definition.version(), command.apiId());
        apply(new ApiCreated(command.apiId(), command.tenant(), definition, command.openApiDefinition()));
    }

    /** Returns the API's status (lifecycle state and creation time). */
    @CommandHandler
    public Status handle(UpdateApi command) {
        if (command.definition() == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The API definition is required");
        }
        if (state == ApiLifecycleState.RETIRED) {
            throw DomainException.of(DomainError.API_UPDATE_FORBIDDEN_PER_LC,
                    "Updating the API is restricted as it is RETIRED.");
        }
        ApiDefinition updated = command.definition().validated();
        requireUnchanged("name", definition.name(), updated.name());
        requireUnchanged("context", definition.context(), updated.context());
        requireUnchanged("version", definition.version(), updated.version());
        if (state == ApiLifecycleState.PUBLISHED) {
            requirePublishable(updated, "A PUBLISHED API");
        }
        apply(new ApiUpdated(apiId, updated, command.openApiDefinition()));
        return new Status(state, createdAt);
    }

    /** Replaces the provider's OpenAPI document and the operations and scopes derived from it. */
    @CommandHandler
    public Status handle(UpdateApiOpenApi command) {
        if (command.openApiDefinition() == null || command.openApiDefinition().isBlank()) {
            throw DomainException.of(DomainError.API_DEFINITION_MALFORMED, "The OpenAPI document is required");
        }
        return handle(new UpdateApi(apiId, null,
                definition.withOperations(command.operations(), command.scopes()), command.openApiDefinition()));
    }

    /**
     * Deleting is refused while subscriptions are live; otherwise it takes the API off every gateway first, then
     * frees its context and version.
     */
    @CommandHandler
    public void handle(DeleteApi command, ApiContextRegistry contexts, ApiSubscriptionCheck subscriptions) {
        if (subscriptions.hasLiveSubscriptions(tenant, apiId)) {
            throw DomainException.of(DomainError.API_HAS_SUBSCRIPTIONS,
                    "API %s has live subscriptions; delete or reject them first (or retire the API)", apiId);
        }
        undeployEverywhere();
        contexts.release(tenant, definition.context(), definition.version(), apiId);
        apply(new ApiDeleted(apiId, tenant, definition.context(), definition.version()));
    }

    /** Returns the state the API moved to. */
    @CommandHandler
    public ApiLifecycleState handle(ChangeApiLifecycle command) {
        if (command.action() == null) {
            throw DomainException.of(DomainError.INVALID_LIFECYCLE_ACTION, "A lifecycle action is required");
        }
        ApiLifecycleState next = state.next(command.action()).orElseThrow(() -> DomainException.of(
                DomainError.ILLEGAL_LIFECYCLE_TRANSITION,
                "Action '%s' is not allowed for an API in state %s; allowed: %s",
                command.action().wso2Name(), state, allowedActions()));
        if (next == ApiLifecycleState.PUBLISHED) {
            requirePublishable(definition, "The API");
        }
        if (next == ApiLifecycleState.RETIRED) {
            undeployEverywhere(); // as WSO2: a retired API is removed from its gateways
        }
        apply(new ApiLifecycleChanged(apiId, state, next, command.action()));
        return next;
    }

    /** Returns the new revision's number. */
    @CommandHandler
    public int handle(CreateApiRevision command) {
        requireText(command.revisionId(), "revisionId");
        requireNotRetired("create a revision of");
        if (revisions.size() >= MAX_REVISIONS) {
            throw DomainException.of(DomainError.MAXIMUM_REVISIONS_REACHED,
                    "Maximum number of revisions per API (%d) has been reached. Remove a revision to create a "
                            + "new revision for API %s", MAX_REVISIONS, apiId);
        }
        if (revisions.containsKey(command.revisionId())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "Revision %s already exists", command.revisionId());
        }
        int number = lastRevisionNumber + 1;
        apply(new ApiRevisionCreated(apiId, command.revisionId(), number, command.description(),
                definition, openApiDefinition));
        return number;
    }

    @CommandHandler
    public void handle(DeleteApiRevision command) {
        Revision revision = revision(command.revisionId());
        if (deployments.containsValue(revision.revisionId())) {
            throw DomainException.of(DomainError.EXISTING_API_REVISION_DEPLOYMENT_FOUND,
                    "Revision %s is deployed to a gateway; undeploy it before deleting it", command.revisionId());
        }
        apply(new ApiRevisionDeleted(apiId, revision.revisionId(), revision.number()));
    }

    @CommandHandler
    public void handle(DeployApiRevision command) {
        Revision revision = revision(command.revisionId());
        requireNotRetired("deploy");
        if (command.deployments() == null || command.deployments().isEmpty()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "At least one gateway environment is required");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (RevisionDeployment deployment : command.deployments()) {
            if (deployment == null || deployment.environment() == null || deployment.environment().isBlank()) {
                throw DomainException.of(DomainError.INVALID_GATEWAY_ENVIRONMENT, "A deployment needs an environment name");
            }
            if (!seen.add(deployment.environment())) {
                throw DomainException.of(DomainError.INVALID_INPUT, "Environment '%s' is listed twice",
                        deployment.environment());
            }
        }
        Map<String, List<String>> replacedByRevision = new LinkedHashMap<>();
        List<RevisionDeployment> newDeployments = new ArrayList<>();
        for (RevisionDeployment deployment : command.deployments()) {
            String current = deployments.get(deployment.environment());
            if (revision.revisionId().equals(current)) {
                continue;
            }
            if (current != null) {
                replacedByRevision.computeIfAbsent(current, k -> new ArrayList<>()).add(deployment.environment());
            }
            newDeployments.add(deployment);
        }
        replacedByRevision.forEach((revisionId, environments) -> apply(new ApiRevisionUndeployed(apiId, revisionId,
                revisions.get(revisionId).number(), environments)));
        if (!newDeployments.isEmpty()) {
            apply(new ApiRevisionDeployed(apiId, revision.revisionId(), revision.number(), newDeployments));
        }
    }

    @CommandHandler
    public void handle(UndeployApiRevision command) {
        Revision revision = revision(command.revisionId());
        List<String> deployedTo = deployments.entrySet().stream()
                .filter(e -> e.getValue().equals(revision.revisionId())).map(Map.Entry::getKey).toList();
        List<String> requested = command.environments() == null || command.environments().isEmpty()
                ? deployedTo : command.environments().stream().distinct().toList();
        for (String environment : requested) {
            if (!deployedTo.contains(environment)) {
                throw DomainException.of(DomainError.EXISTING_DEPLOYMENT_NOT_FOUND,
                        "Revision %s is not deployed to environment '%s'", revision.revisionId(), environment);
            }
        }
        if (requested.isEmpty()) {
            throw DomainException.of(DomainError.EXISTING_DEPLOYMENT_NOT_FOUND,
                    "Revision %s is not deployed to any environment", revision.revisionId());
        }
        apply(new ApiRevisionUndeployed(apiId, revision.revisionId(), revision.number(), List.copyOf(requested)));
    }

    @CommandHandler
    public void handle(AddApiDocument command) {
        requireText(command.documentId(), "documentId");
        ApiDocument document = validatedDocument(command.document());
        if (documents.containsKey(command.documentId())) {
            throw DomainException.of(DomainError.DOCUMENT_ALREADY_EXISTS, "Document %s already exists",
                    command.documentId());
        }
        requireUniqueDocumentName(document.name(), null);
        String content = document.holdsContent() ? command.inlineContent() : null;
        apply(new ApiDocumentAdded(apiId, command.documentId(), document, content));
    }

    @CommandHandler
    public void handle(UpdateApiDocument command) {
        document(command.documentId());
        ApiDocument document = validatedDocument(command.document());
        requireUniqueDocumentName(document.name(), command.documentId());
        apply(new ApiDocumentUpdated(apiId, command.documentId(), document));
    }

    @CommandHandler
    public void handle(DeleteApiDocument command) {
        document(command.documentId());
        apply(new ApiDocumentDeleted(apiId, command.documentId()));
    }

    @CommandHandler
    public void handle(UpdateApiDocumentContent command) {
        ApiDocument document = document(command.documentId());
        if (!document.holdsContent()) {
            throw DomainException.of(DomainError.DOCUMENT_INVALID_SOURCE_TYPE,
                    "Document %s has source type %s; only INLINE and MARKDOWN documents hold content",
                    command.documentId(), document.sourceType());
        }
        if (command.content() == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'inlineContent' is required");
        }
        apply(new ApiDocumentContentUpdated(apiId, command.documentId(), command.content()));
    }

    // ---- event-sourcing handlers: assignment only ----

    @EventSourcingHandler
    void on(ApiCreated event, @Timestamp Instant at) {
        apiId = event.apiId();
        createdAt = at;
        tenant = event.tenant();
        definition = event.definition();
        openApiDefinition = event.openApiDefinition();
        state = ApiLifecycleState.CREATED;
    }

    @EventSourcingHandler
    void on(ApiUpdated event) {
        definition = event.definition();
        if (event.openApiDefinition() != null) {
            openApiDefinition = event.openApiDefinition();
        }
    }

    @EventSourcingHandler
    void on(ApiDeleted event) {
        markDeleted();
    }

    @EventSourcingHandler
    void on(ApiLifecycleChanged event) {
        state = event.newState();
    }

    @EventSourcingHandler
    void on(ApiRevisionCreated event) {
        lastRevisionNumber = event.revisionNumber();
        revisions.put(event.revisionId(), new Revision(event.revisionId(), event.revisionNumber(),
                event.definition(), event.openApiDefinition()));
    }

    @EventSourcingHandler
    void on(ApiRevisionDeleted event) {
        revisions.remove(event.revisionId());
    }

    @EventSourcingHandler
    void on(ApiRevisionDeployed event) {
        event.deployments().forEach(d -> deployments.put(d.environment(), event.revisionId()));
    }

    @EventSourcingHandler
    void on(ApiRevisionUndeployed event) {
        event.environments().forEach(environment -> deployments.remove(environment, event.revisionId()));
    }

    @EventSourcingHandler
    void on(ApiDocumentAdded event) {
        documents.put(event.documentId(), event.document());
    }

    @EventSourcingHandler
    void on(ApiDocumentUpdated event) {
        documents.put(event.documentId(), event.document());
    }

    @EventSourcingHandler
    void on(ApiDocumentDeleted event) {
        documents.remove(event.documentId());
    }

    // ---- facts other aggregates may read while deciding (never mutate) ----

    public String tenant() {
        return tenant;
    }

    public ApiLifecycleState state() {
        return state;
    }

    /** The subscription tiers the API offers. */
    public List<String> tiers() {
        return definition.policies();
    }

    // ---- rules ----

    private void undeployEverywhere() {
        Map<String, List<String>> byRevision = new LinkedHashMap<>();
        deployments.forEach((environment, revisionId) ->
                byRevision.computeIfAbsent(revisionId, k -> new ArrayList<>()).add(environment));
        byRevision.forEach((revisionId, environments) -> apply(new ApiRevisionUndeployed(apiId, revisionId,
                revisions.get(revisionId).number(), environments)));
    }

    private void requirePublishable(ApiDefinition candidate, String subject) {
        if (!candidate.endpoints().hasProduction()) {
            throw DomainException.of(DomainError.PUBLISH_PRECONDITION_FAILED,
                    "%s needs a production endpoint to be published", subject);
        }
        if (candidate.policies().isEmpty()) {
            throw DomainException.of(DomainError.PUBLISH_PRECONDITION_FAILED,
                    "%s needs at least one subscription tier (policies) to be published", subject);
        }
    }

    private void requireNotRetired(String what) {
        if (state == ApiLifecycleState.RETIRED) {
            throw DomainException.of(DomainError.API_UPDATE_FORBIDDEN_PER_LC, "Cannot %s a RETIRED API", what);
        }
    }

    private List<String> allowedActions() {
        return state.availableTransitions().keySet().stream().map(LifecycleAction::wso2Name).toList();
    }

    private Revision revision(String revisionId) {
        Revision revision = revisionId == null ? null : revisions.get(revisionId);
        if (revision == null) {
            throw DomainException.of(DomainError.API_REVISION_NOT_FOUND,
                    "Requested API Revision with id %s not found", revisionId);
        }
        return revision;
    }

    private ApiDocument document(String documentId) {
        ApiDocument document = documentId == null ? null : documents.get(documentId);
        if (document == null) {
            throw DomainException.of(DomainError.DOCUMENT_NOT_FOUND, "Document %s not found in API %s", documentId, apiId);
        }
        return document;
    }

    private void requireUniqueDocumentName(String name, String exceptDocumentId) {
        boolean taken = documents.entrySet().stream().anyMatch(e -> e.getValue().name().equalsIgnoreCase(name)
                && !e.getKey().equals(exceptDocumentId));
        if (taken) {
            throw DomainException.of(DomainError.DOCUMENT_ALREADY_EXISTS, "A document named '%s' already exists", name);
        }
    }

    private static ApiDocument validatedDocument(ApiDocument document) {
        if (document == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The document is required");
        }
        requireText(document.name(), "name");
        requireText(document.type(), "type");
        requireText(document.sourceType(), "sourceType");
        if (!ApiDocument.TYPES.contains(document.type())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "Document type '%s' is not one of %s",
                    document.type(), ApiDocument.TYPES);
        }
        if ("OTHER".equals(document.type()) && (document.otherTypeName() == null || document.otherTypeName().isBlank())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "A document of type OTHER needs 'otherTypeName'");
        }
        if (!ApiDocument.SOURCE_TYPES.contains(document.sourceType())) {
            throw DomainException.of(DomainError.DOCUMENT_INVALID_SOURCE_TYPE, "Source type '%s' is not one of %s",
                    document.sourceType(), ApiDocument.SOURCE_TYPES);
        }
        if ("URL".equals(document.sourceType())) {
            requireText(document.sourceUrl(), "sourceUrl");
            if (!document.sourceUrl().matches("(?i)^https?://\\S+$")) {
                throw DomainException.of(DomainError.INVALID_INPUT, "'sourceUrl' must be an http(s) URL");
            }
        }
        String visibility = document.visibility() == null || document.visibility().isBlank()
                ? "API_LEVEL" : document.visibility();
        if (!ApiDocument.VISIBILITIES.contains(visibility)) {
            throw DomainException.of(DomainError.INVALID_INPUT, "Document visibility '%s' is not one of %s",
                    visibility, ApiDocument.VISIBILITIES);
        }
        return new ApiDocument(document.name().trim(), document.type(), document.summary(), document.sourceType(),
                "URL".equals(document.sourceType()) ? document.sourceUrl() : null, visibility, document.otherTypeName());
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
    }

    private static void requireUnchanged(String field, String current, String requested) {
        if (!Objects.equals(current, requested)) {
            throw DomainException.of(DomainError.API_IMMUTABLE_FIELD,
                    "The %s of an API cannot be changed (is '%s', requested '%s'); create a new version instead",
                    field, current, requested);
        }
    }
}
