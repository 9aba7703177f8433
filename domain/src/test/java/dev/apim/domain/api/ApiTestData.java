package dev.apim.domain.api;

import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.common.Tenants;

import java.util.ArrayList;
import java.util.List;

/** The API the aggregate tests start from, and a builder for the variations a rule needs. */
final class ApiTestData {

    static final String API_ID = "api-1";
    static final String TENANT = Tenants.SUPER_TENANT;
    static final String CONTEXT = "/pets";
    static final String VERSION = "1.0.0";
    static final String PRODUCTION_URL = "https://backend.example.com/pets";

    private ApiTestData() {}

    /** A definition that can be published: a production endpoint and one subscription tier. */
    static Builder aDefinition() {
        return new Builder();
    }

    /** The event of the publishable API as created. */
    static ApiCreated created() {
        return created(aDefinition().build());
    }

    static ApiCreated created(ApiDefinition definition) {
        return new ApiCreated(API_ID, TENANT, definition.validated(), null);
    }

    static ApiLifecycleChanged lifecycleChanged(ApiLifecycleState from, LifecycleAction action, ApiLifecycleState to) {
        return new ApiLifecycleChanged(API_ID, from, to, action);
    }

    /** Given-events that bring the publishable API to a state through a legal path. */
    static List<Object> apiIn(ApiLifecycleState state) {
        List<Object> events = new ArrayList<>();
        events.add(created());
        events.addAll(pathTo(state));
        return events;
    }

    static List<Object> pathTo(ApiLifecycleState state) {
        return switch (state) {
            case CREATED -> List.of();
            case PROTOTYPED -> List.of(lifecycleChanged(ApiLifecycleState.CREATED,
                    LifecycleAction.DEPLOY_AS_PROTOTYPE, ApiLifecycleState.PROTOTYPED));
            case PUBLISHED -> List.of(lifecycleChanged(ApiLifecycleState.CREATED,
                    LifecycleAction.PUBLISH, ApiLifecycleState.PUBLISHED));
            case BLOCKED -> append(pathTo(ApiLifecycleState.PUBLISHED), lifecycleChanged(ApiLifecycleState.PUBLISHED,
                    LifecycleAction.BLOCK, ApiLifecycleState.BLOCKED));
            case DEPRECATED -> append(pathTo(ApiLifecycleState.PUBLISHED), lifecycleChanged(
                    ApiLifecycleState.PUBLISHED, LifecycleAction.DEPRECATE, ApiLifecycleState.DEPRECATED));
            case RETIRED -> append(pathTo(ApiLifecycleState.DEPRECATED), lifecycleChanged(
                    ApiLifecycleState.DEPRECATED, LifecycleAction.RETIRE, ApiLifecycleState.RETIRED));
        };
    }

    private static List<Object> append(List<Object> events, Object event) {
        List<Object> all = new ArrayList<>(events);
        all.add(event);
        return all;
    }

    static ApiDocument inlineDocument(String name) {
        return new ApiDocument(name, "HOWTO", "How to use it", "INLINE", null, "API_LEVEL", null);
    }

    static ApiDocument urlDocument(String name, String url) {
        return new ApiDocument(name, "SUPPORT_FORUM", null, "URL", url, "API_LEVEL", null);
    }

    static RevisionDeployment on(String environment) {
        return new RevisionDeployment(environment, "localhost", true);
    }

    /** Builds an {@link ApiDefinition} as a provider would send it, before WSO2's defaults. */
    static final class Builder {
        private String name = "PetStore";
        private String context = CONTEXT;
        private String version = VERSION;
        private String description = "Pets for everyone";
        private List<String> transport = List.of();
        private List<String> policies = List.of("Gold");
        private String visibility;
        private List<String> visibleRoles = List.of();
        private ApiEndpoints endpoints = new ApiEndpoints("http", PRODUCTION_URL, null);
        private List<ApiOperation> operations = List.of();
        private List<ApiScope> scopes = List.of();

        Builder name(String name) { this.name = name; return this; }
        Builder context(String context) { this.context = context; return this; }
        Builder version(String version) { this.version = version; return this; }
        Builder description(String description) { this.description = description; return this; }
        Builder transport(String... transport) { this.transport = List.of(transport); return this; }
        Builder policies(String... policies) { this.policies = List.of(policies); return this; }
        Builder visibility(String visibility, String... roles) {
            this.visibility = visibility;
            this.visibleRoles = List.of(roles);
            return this;
        }
        Builder endpoints(String productionUrl, String sandboxUrl) {
            this.endpoints = new ApiEndpoints("http", productionUrl, sandboxUrl);
            return this;
        }
        Builder noEndpoints() { this.endpoints = null; return this; }
        Builder operations(ApiOperation... operations) { this.operations = List.of(operations); return this; }
        Builder scopes(ApiScope... scopes) { this.scopes = List.of(scopes); return this; }

        ApiDefinition build() {
            return new ApiDefinition(name, description, context, version, "admin", null, transport, List.of(),
                    policies, null, null, List.of(), visibility, visibleRoles, false, endpoints, operations, scopes,
                    null, null);
        }
    }

    static ApiOperation operation(String verb, String target, String... scopes) {
        return new ApiOperation(target, verb, null, null, List.of(scopes));
    }
}
