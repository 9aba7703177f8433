package dev.apim.domain.api;

import dev.apim.domain.api.command.ChangeApiLifecycle;
import dev.apim.domain.api.command.CreateApi;
import dev.apim.domain.api.command.DeleteApi;
import dev.apim.domain.api.command.UpdateApi;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.apim.domain.api.ApiTestData.API_ID;
import static dev.apim.domain.api.ApiTestData.CONTEXT;
import static dev.apim.domain.api.ApiTestData.TENANT;
import static dev.apim.domain.api.ApiTestData.VERSION;
import static dev.apim.domain.api.ApiTestData.aDefinition;
import static dev.apim.domain.api.ApiTestData.apiIn;
import static dev.apim.domain.api.ApiTestData.created;
import static org.assertj.core.api.Assertions.assertThat;

class ApiDeletionTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    private final InMemoryApiContextRegistry contexts = new InMemoryApiContextRegistry();
    private FixtureConfiguration<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(contexts);
        fixture.registerInjectableResource(subscriptionCheck);
    }

    @Test
    void an_api_can_be_deleted() {
        fixture.given(created())
                .when(new DeleteApi(API_ID, null))
                .expectEvents(new ApiDeleted(API_ID, TENANT, CONTEXT, VERSION))
                .expectMarkedDeleted();
    }

    @Test
    void a_published_api_can_be_deleted() {
        fixture.given(apiIn(ApiLifecycleState.PUBLISHED))
                .when(new DeleteApi(API_ID, null))
                .expectEvents(new ApiDeleted(API_ID, TENANT, CONTEXT, VERSION));
    }

    @Test
    void deleting_releases_the_context_and_version() {
        contexts.claim(TENANT, CONTEXT, VERSION, API_ID);

        fixture.given(created())
                .when(new DeleteApi(API_ID, null))
                .expectSuccessfulHandlerExecution();

        assertThat(contexts.owner(TENANT, CONTEXT, VERSION)).isEmpty();
    }

    @Test
    void a_released_context_can_be_claimed_by_a_new_api() {
        contexts.claim(TENANT, CONTEXT, VERSION, API_ID);
        fixture.given(created())
                .when(new DeleteApi(API_ID, null))
                .expectSuccessfulHandlerExecution();

        fixture.givenNoPriorActivity()
                .when(new CreateApi("api-2", TENANT, aDefinition().build(), null))
                .expectEvents(new ApiCreated("api-2", TENANT, aDefinition().build().validated(), null));

        assertThat(contexts.owner(TENANT, CONTEXT, VERSION)).contains("api-2");
    }

    @Test
    void a_deleted_api_cannot_be_updated() {
        fixture.given(created(), new ApiDeleted(API_ID, TENANT, CONTEXT, VERSION))
                .when(new UpdateApi(API_ID, null, aDefinition().build(), null))
                .expectNoEvents()
                .expectException(AggregateDeletedException.class);
    }

    @Test
    void a_deleted_api_cannot_change_its_lifecycle() {
        fixture.given(created(), new ApiDeleted(API_ID, TENANT, CONTEXT, VERSION))
                .when(new ChangeApiLifecycle(API_ID, null, LifecycleAction.PUBLISH))
                .expectException(AggregateDeletedException.class);
    }

    @Test
    void a_deleted_api_cannot_be_deleted_again() {
        fixture.given(created(), new ApiDeleted(API_ID, TENANT, CONTEXT, VERSION))
                .when(new DeleteApi(API_ID, null))
                .expectException(AggregateDeletedException.class);
    }

    @Test
    void an_api_with_live_subscriptions_cannot_be_deleted() {
        subscriptionCheck.live = true;
        fixture.given(ApiTestData.created())
                .when(new dev.apim.domain.api.command.DeleteApi(ApiTestData.created().apiId(), null))
                .expectNoEvents()
                .expectException(dev.apim.domain.common.DomainException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("live subscriptions"));
    }
}
