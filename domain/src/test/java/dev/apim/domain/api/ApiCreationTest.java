package dev.apim.domain.api;

import dev.apim.domain.api.command.CreateApi;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static dev.apim.domain.api.ApiTestData.API_ID;
import static dev.apim.domain.api.ApiTestData.CONTEXT;
import static dev.apim.domain.api.ApiTestData.TENANT;
import static dev.apim.domain.api.ApiTestData.VERSION;
import static dev.apim.domain.api.ApiTestData.aDefinition;
import static dev.apim.domain.api.ApiTestData.operation;
import static dev.apim.domain.api.DomainErrorMatcher.domainError;
import static org.assertj.core.api.Assertions.assertThat;

class ApiCreationTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    private final InMemoryApiContextRegistry contexts = new InMemoryApiContextRegistry();
    private FixtureConfiguration<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(contexts);
        fixture.registerInjectableResource(subscriptionCheck);
    }

    private void createIsRefused(ApiDefinition definition, DomainError error) {
        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, definition, null))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(error));
    }

    @Test
    void creating_applies_wso2_defaults_to_the_definition() {
        List<ApiOperation> wildcardResources = Stream.of("GET", "PUT", "POST", "DELETE", "PATCH")
                .map(verb -> new ApiOperation("/*", verb, ApiOperation.DEFAULT_AUTH_TYPE,
                        ApiOperation.DEFAULT_THROTTLING_POLICY, List.of()))
                .toList();
        ApiDefinition expected = new ApiDefinition("PetStore", "Pets for everyone", CONTEXT, VERSION, "admin", "HTTP",
                List.of("http", "https"), List.of(), List.of("Gold"), null, null,
                List.of("oauth2", "oauth_basic_auth_api_key_mandatory"), "PUBLIC", List.of(), false,
                new ApiEndpoints("http", ApiTestData.PRODUCTION_URL, null), wildcardResources, List.of(), null, null);

        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, aDefinition().build(), "{\"openapi\":\"3.0.1\"}"))
                .expectEvents(new ApiCreated(API_ID, TENANT, expected, "{\"openapi\":\"3.0.1\"}"));
    }

    @Test
    void given_operations_are_kept_with_upper_case_verbs_and_default_auth_and_policy() {
        ApiDefinition given = aDefinition().operations(operation("get", "/pets/{id}")).build();
        ApiDefinition expected = aDefinition().operations(new ApiOperation("/pets/{id}", "GET",
                "Application & Application User", "Unlimited", List.of())).build().validated();

        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, given, null))
                .expectEvents(new ApiCreated(API_ID, TENANT, expected, null));
    }

    @Test
    void creating_claims_the_context_and_version_for_the_tenant() {
        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, aDefinition().build(), null))
                .expectSuccessfulHandlerExecution();

        assertThat(contexts.owner(TENANT, CONTEXT, VERSION)).contains(API_ID);
    }

    @Test
    void an_api_needs_a_tenant() {
        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, " ", aDefinition().build(), null))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void a_name_is_required() {
        createIsRefused(aDefinition().name(" ").build(), DomainError.INVALID_INPUT);
    }

    @Test
    void a_context_is_required() {
        createIsRefused(aDefinition().context(null).build(), DomainError.INVALID_INPUT);
    }

    @Test
    void a_version_is_required() {
        createIsRefused(aDefinition().version("").build(), DomainError.INVALID_INPUT);
    }

    @Test
    void a_definition_is_required() {
        createIsRefused(null, DomainError.INVALID_INPUT);
    }

    @Test
    void a_name_may_not_contain_special_characters() {
        createIsRefused(aDefinition().name("Pet<Store>").build(), DomainError.INVALID_INPUT);
    }

    @Test
    void a_context_must_start_with_a_slash() {
        createIsRefused(aDefinition().context("pets").build(), DomainError.INVALID_CONTEXT);
    }

    @Test
    void a_context_may_not_contain_bad_characters() {
        createIsRefused(aDefinition().context("/pets store").build(), DomainError.INVALID_CONTEXT);
    }

    @Test
    void a_context_may_use_the_version_template_once() {
        createIsRefused(aDefinition().context("/{version}/pets/{version}").build(), DomainError.INVALID_CONTEXT);
    }

    @Test
    void a_version_may_not_contain_bad_characters() {
        createIsRefused(aDefinition().version("1.0/beta").build(), DomainError.INVALID_INPUT);
    }

    @Test
    void an_operation_may_not_be_defined_twice() {
        createIsRefused(aDefinition().operations(operation("GET", "/pets"), operation("get", "/pets")).build(),
                DomainError.INVALID_OPERATION);
    }

    @Test
    void an_operation_needs_a_known_verb() {
        createIsRefused(aDefinition().operations(operation("FETCH", "/pets")).build(), DomainError.INVALID_OPERATION);
    }

    @Test
    void an_operation_may_only_use_declared_scopes() {
        createIsRefused(aDefinition().operations(operation("GET", "/pets", "pets:read")).build(),
                DomainError.INVALID_OPERATION);
    }

    @Test
    void an_operation_may_use_a_declared_scope() {
        ApiDefinition definition = aDefinition()
                .scopes(new ApiScope("pets:read", "Read pets", null, List.of("admin")))
                .operations(operation("GET", "/pets", "pets:read")).build();

        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, definition, null))
                .expectEvents(new ApiCreated(API_ID, TENANT, definition.validated(), null));
    }

    @Test
    void the_production_endpoint_must_be_an_absolute_http_url() {
        createIsRefused(aDefinition().endpoints("ftp://backend.example.com", null).build(),
                DomainError.INVALID_ENDPOINT_URL);
    }

    @Test
    void the_sandbox_endpoint_must_be_an_absolute_http_url() {
        createIsRefused(aDefinition().endpoints(ApiTestData.PRODUCTION_URL, "not a url").build(),
                DomainError.INVALID_ENDPOINT_URL);
    }

    @Test
    void an_unknown_transport_is_refused() {
        createIsRefused(aDefinition().transport("ws").build(), DomainError.INVALID_INPUT);
    }

    @Test
    void restricted_visibility_needs_roles() {
        createIsRefused(aDefinition().visibility("RESTRICTED").build(), DomainError.INVALID_INPUT);
    }

    @Test
    void restricted_visibility_with_roles_is_accepted() {
        ApiDefinition definition = aDefinition().visibility("RESTRICTED", "internal").build();

        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, definition, null))
                .expectEvents(new ApiCreated(API_ID, TENANT, definition.validated(), null));
    }

    @Test
    void an_api_without_endpoints_or_tiers_can_be_created() {
        ApiDefinition definition = aDefinition().noEndpoints().policies().build();

        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, definition, null))
                .expectEvents(new ApiCreated(API_ID, TENANT, definition.validated(), null));
    }

    @Test
    void context_and_version_are_unique_per_tenant() {
        contexts.claim(TENANT, CONTEXT, VERSION, "api-other");

        createIsRefused(aDefinition().build(), DomainError.API_CONTEXT_ALREADY_EXISTS);
    }

    @Test
    void the_same_context_may_be_used_with_another_version() {
        contexts.claim(TENANT, CONTEXT, VERSION, "api-other");

        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, aDefinition().version("2.0.0").build(), null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void the_same_context_and_version_may_be_used_in_another_tenant() {
        contexts.claim("wso2.com", CONTEXT, VERSION, "api-other");

        fixture.givenNoPriorActivity()
                .when(new CreateApi(API_ID, TENANT, aDefinition().build(), null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void an_invalid_definition_claims_nothing() {
        createIsRefused(aDefinition().endpoints("ftp://x", null).build(), DomainError.INVALID_ENDPOINT_URL);

        assertThat(contexts.owner(TENANT, CONTEXT, VERSION)).isEmpty();
    }
}
