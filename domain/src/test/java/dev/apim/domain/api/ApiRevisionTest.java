package dev.apim.domain.api;

import dev.apim.domain.api.command.CreateApiRevision;
import dev.apim.domain.api.command.DeleteApiRevision;
import dev.apim.domain.api.event.ApiRevisionCreated;
import dev.apim.domain.api.event.ApiRevisionDeleted;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiRevisionUndeployed;
import dev.apim.domain.api.event.ApiUpdated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.apim.domain.api.ApiTestData.API_ID;
import static dev.apim.domain.api.ApiTestData.aDefinition;
import static dev.apim.domain.api.ApiTestData.apiIn;
import static dev.apim.domain.api.ApiTestData.created;
import static dev.apim.domain.api.ApiTestData.on;
import static dev.apim.domain.api.DomainErrorMatcher.domainError;

class ApiRevisionTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    private static final String OPENAPI = "{\"openapi\":\"3.0.1\"}";
    private static final ApiDefinition DEFINITION = aDefinition().build().validated();

    private FixtureConfiguration<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(new InMemoryApiContextRegistry());
        fixture.registerInjectableResource(subscriptionCheck);
    }

    private static ApiRevisionCreated revisionCreated(String revisionId, int number) {
        return new ApiRevisionCreated(API_ID, revisionId, number, "revision " + number, DEFINITION, null);
    }

    private static List<Object> createdWithRevisions(int count) {
        List<Object> events = new ArrayList<>(List.of(created()));
        for (int number = 1; number <= count; number++) {
            events.add(revisionCreated("rev-" + number, number));
        }
        return events;
    }

    @Test
    void the_first_revision_is_number_one() {
        fixture.given(created())
                .when(new CreateApiRevision(API_ID, "rev-1", "revision 1"))
                .expectEvents(revisionCreated("rev-1", 1));
    }

    @Test
    void revisions_are_numbered_in_sequence() {
        fixture.given(createdWithRevisions(2))
                .when(new CreateApiRevision(API_ID, "rev-3", "revision 3"))
                .expectEvents(revisionCreated("rev-3", 3));
    }

    @Test
    void a_deleted_revision_number_is_never_reused() {
        List<Object> given = createdWithRevisions(3);
        given.add(new ApiRevisionDeleted(API_ID, "rev-3", 3));
        given.add(new ApiRevisionDeleted(API_ID, "rev-2", 2));

        fixture.given(given)
                .when(new CreateApiRevision(API_ID, "rev-4", "revision 4"))
                .expectEvents(revisionCreated("rev-4", 4));
    }

    @Test
    void a_revision_snapshots_the_definition_of_its_time() {
        ApiDefinition changed = aDefinition().description("Now with cats").build().validated();

        fixture.given(created(), revisionCreated("rev-1", 1), new ApiUpdated(API_ID, changed, OPENAPI))
                .when(new CreateApiRevision(API_ID, "rev-2", "cats"))
                .expectEvents(new ApiRevisionCreated(API_ID, "rev-2", 2, "cats", changed, OPENAPI));
    }

    @Test
    void an_api_keeps_at_most_five_revisions() {
        fixture.given(createdWithRevisions(Api.MAX_REVISIONS))
                .when(new CreateApiRevision(API_ID, "rev-6", "one too many"))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(DomainError.MAXIMUM_REVISIONS_REACHED));
    }

    @Test
    void deleting_a_revision_makes_room_for_another() {
        List<Object> given = createdWithRevisions(Api.MAX_REVISIONS);
        given.add(new ApiRevisionDeleted(API_ID, "rev-1", 1));

        fixture.given(given)
                .when(new CreateApiRevision(API_ID, "rev-6", "revision 6"))
                .expectEvents(revisionCreated("rev-6", 6));
    }

    @Test
    void a_revision_id_cannot_be_used_twice() {
        fixture.given(createdWithRevisions(1))
                .when(new CreateApiRevision(API_ID, "rev-1", "again"))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void a_revision_needs_an_id() {
        fixture.given(created())
                .when(new CreateApiRevision(API_ID, " ", "no id"))
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void a_retired_api_cannot_get_a_revision() {
        fixture.given(apiIn(ApiLifecycleState.RETIRED))
                .when(new CreateApiRevision(API_ID, "rev-1", "too late"))
                .expectNoEvents()
                .expectException(domainError(DomainError.API_UPDATE_FORBIDDEN_PER_LC));
    }

    @Test
    void a_revision_can_be_deleted() {
        fixture.given(createdWithRevisions(2))
                .when(new DeleteApiRevision(API_ID, "rev-2"))
                .expectEvents(new ApiRevisionDeleted(API_ID, "rev-2", 2));
    }

    @Test
    void a_deployed_revision_cannot_be_deleted() {
        List<Object> given = createdWithRevisions(1);
        given.add(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default"))));

        fixture.given(given)
                .when(new DeleteApiRevision(API_ID, "rev-1"))
                .expectNoEvents()
                .expectException(domainError(DomainError.EXISTING_API_REVISION_DEPLOYMENT_FOUND));
    }

    @Test
    void an_undeployed_revision_can_be_deleted() {
        List<Object> given = createdWithRevisions(1);
        given.add(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default"))));
        given.add(new ApiRevisionUndeployed(API_ID, "rev-1", 1, List.of("Default")));

        fixture.given(given)
                .when(new DeleteApiRevision(API_ID, "rev-1"))
                .expectEvents(new ApiRevisionDeleted(API_ID, "rev-1", 1));
    }

    @Test
    void deleting_an_unknown_revision_is_not_found() {
        fixture.given(createdWithRevisions(1))
                .when(new DeleteApiRevision(API_ID, "rev-9"))
                .expectNoEvents()
                .expectException(domainError(DomainError.API_REVISION_NOT_FOUND));
    }

    @Test
    void a_deleted_revision_is_not_found() {
        List<Object> given = createdWithRevisions(1);
        given.add(new ApiRevisionDeleted(API_ID, "rev-1", 1));

        fixture.given(given)
                .when(new DeleteApiRevision(API_ID, "rev-1"))
                .expectException(domainError(DomainError.API_REVISION_NOT_FOUND));
    }
}
