package dev.apim.domain.api;

import dev.apim.domain.api.command.UpdateApi;
import dev.apim.domain.api.event.ApiUpdated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.apim.domain.api.ApiTestData.API_ID;
import static dev.apim.domain.api.ApiTestData.aDefinition;
import static dev.apim.domain.api.ApiTestData.apiIn;
import static dev.apim.domain.api.ApiTestData.created;
import static dev.apim.domain.api.DomainErrorMatcher.domainError;

class ApiUpdateTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    private FixtureConfiguration<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(new InMemoryApiContextRegistry());
        fixture.registerInjectableResource(subscriptionCheck);
    }

    private static UpdateApi update(ApiDefinition definition) {
        return new UpdateApi(API_ID, null, definition, null);
    }

    @Test
    void an_api_can_be_updated() {
        ApiDefinition changed = aDefinition().description("Now with cats").transport("https").build();

        fixture.given(created())
                .when(new UpdateApi(API_ID, null, changed, "{\"openapi\":\"3.0.1\"}"))
                .expectEvents(new ApiUpdated(API_ID, changed.validated(), "{\"openapi\":\"3.0.1\"}"));
    }

    @Test
    void an_update_is_validated_like_a_creation() {
        fixture.given(created())
                .when(update(aDefinition().endpoints("mailto:ops@example.com", null).build()))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(DomainError.INVALID_ENDPOINT_URL));
    }

    @Test
    void an_update_needs_a_definition() {
        fixture.given(created())
                .when(update(null))
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void the_name_cannot_change() {
        fixture.given(created())
                .when(update(aDefinition().name("CatStore").build()))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(DomainError.API_IMMUTABLE_FIELD));
    }

    @Test
    void the_context_cannot_change() {
        fixture.given(created())
                .when(update(aDefinition().context("/cats").build()))
                .expectException(domainError(DomainError.API_IMMUTABLE_FIELD));
    }

    @Test
    void the_version_cannot_change() {
        fixture.given(created())
                .when(update(aDefinition().version("2.0.0").build()))
                .expectException(domainError(DomainError.API_IMMUTABLE_FIELD));
    }

    @Test
    void a_retired_api_cannot_be_updated() {
        fixture.given(apiIn(ApiLifecycleState.RETIRED))
                .when(update(aDefinition().description("Too late").build()))
                .expectNoEvents()
                .expectException(domainError(DomainError.API_UPDATE_FORBIDDEN_PER_LC));
    }

    @Test
    void a_published_api_can_be_updated() {
        ApiDefinition changed = aDefinition().description("Now with cats").build();

        fixture.given(apiIn(ApiLifecycleState.PUBLISHED))
                .when(update(changed))
                .expectEvents(new ApiUpdated(API_ID, changed.validated(), null));
    }

    @Test
    void a_published_api_cannot_drop_its_production_endpoint() {
        fixture.given(apiIn(ApiLifecycleState.PUBLISHED))
                .when(update(aDefinition().noEndpoints().build()))
                .expectNoEvents()
                .expectException(domainError(DomainError.PUBLISH_PRECONDITION_FAILED));
    }

    @Test
    void a_published_api_cannot_drop_all_its_tiers() {
        fixture.given(apiIn(ApiLifecycleState.PUBLISHED))
                .when(update(aDefinition().policies().build()))
                .expectNoEvents()
                .expectException(domainError(DomainError.PUBLISH_PRECONDITION_FAILED));
    }

    @Test
    void a_created_api_may_drop_its_production_endpoint_and_tiers() {
        ApiDefinition bare = aDefinition().noEndpoints().policies().build();

        fixture.given(created())
                .when(update(bare))
                .expectEvents(new ApiUpdated(API_ID, bare.validated(), null));
    }
}
