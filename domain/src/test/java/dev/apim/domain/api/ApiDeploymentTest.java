package dev.apim.domain.api;

import dev.apim.domain.api.command.DeployApiRevision;
import dev.apim.domain.api.command.UndeployApiRevision;
import dev.apim.domain.api.event.ApiRevisionCreated;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiRevisionUndeployed;
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

class ApiDeploymentTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    private FixtureConfiguration<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(new InMemoryApiContextRegistry());
        fixture.registerInjectableResource(subscriptionCheck);
    }

    /** The API with revisions rev-1 and rev-2, neither deployed. */
    private static List<Object> twoRevisions() {
        ApiDefinition definition = aDefinition().build().validated();
        return new ArrayList<>(List.of(created(),
                new ApiRevisionCreated(API_ID, "rev-1", 1, null, definition, null),
                new ApiRevisionCreated(API_ID, "rev-2", 2, null, definition, null)));
    }

    private static List<Object> twoRevisionsAnd(Object... events) {
        List<Object> given = twoRevisions();
        given.addAll(List.of(events));
        return given;
    }

    @Test
    void a_revision_can_be_deployed_to_an_environment() {
        fixture.given(twoRevisions())
                .when(new DeployApiRevision(API_ID, "rev-1", List.of(on("Default"))))
                .expectEvents(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default"))));
    }

    @Test
    void a_revision_can_be_deployed_to_several_environments_at_once() {
        fixture.given(twoRevisions())
                .when(new DeployApiRevision(API_ID, "rev-1", List.of(on("Default"), on("Europe"))))
                .expectEvents(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default"), on("Europe"))));
    }

    @Test
    void deploying_another_revision_replaces_the_one_the_environment_served() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default")))))
                .when(new DeployApiRevision(API_ID, "rev-2", List.of(on("Default"))))
                .expectEvents(new ApiRevisionUndeployed(API_ID, "rev-1", 1, List.of("Default")),
                        new ApiRevisionDeployed(API_ID, "rev-2", 2, List.of(on("Default"))));
    }

    @Test
    void replacing_leaves_the_other_environments_of_the_old_revision_alone() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1,
                        List.of(on("Default"), on("Europe")))))
                .when(new DeployApiRevision(API_ID, "rev-2", List.of(on("Europe"))))
                .expectEvents(new ApiRevisionUndeployed(API_ID, "rev-1", 1, List.of("Europe")),
                        new ApiRevisionDeployed(API_ID, "rev-2", 2, List.of(on("Europe"))));
    }

    @Test
    void redeploying_a_revision_where_it_already_serves_changes_nothing() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default")))))
                .when(new DeployApiRevision(API_ID, "rev-1", List.of(on("Default"))))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void redeploying_only_deploys_to_the_new_environments() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default")))))
                .when(new DeployApiRevision(API_ID, "rev-1", List.of(on("Default"), on("Europe"))))
                .expectEvents(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Europe"))));
    }

    @Test
    void a_deployment_needs_an_environment() {
        fixture.given(twoRevisions())
                .when(new DeployApiRevision(API_ID, "rev-1", List.of()))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void an_environment_needs_a_name() {
        fixture.given(twoRevisions())
                .when(new DeployApiRevision(API_ID, "rev-1", List.of(on(" "))))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_GATEWAY_ENVIRONMENT));
    }

    @Test
    void an_environment_may_be_listed_once() {
        fixture.given(twoRevisions())
                .when(new DeployApiRevision(API_ID, "rev-1", List.of(on("Default"), on("Default"))))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void deploying_an_unknown_revision_is_not_found() {
        fixture.given(twoRevisions())
                .when(new DeployApiRevision(API_ID, "rev-9", List.of(on("Default"))))
                .expectNoEvents()
                .expectException(domainError(DomainError.API_REVISION_NOT_FOUND));
    }

    @Test
    void a_retired_api_cannot_be_deployed() {
        List<Object> given = apiIn(ApiLifecycleState.RETIRED);
        given.add(new ApiRevisionCreated(API_ID, "rev-1", 1, null, aDefinition().build().validated(), null));

        fixture.given(given)
                .when(new DeployApiRevision(API_ID, "rev-1", List.of(on("Default"))))
                .expectNoEvents()
                .expectException(domainError(DomainError.API_UPDATE_FORBIDDEN_PER_LC));
    }

    @Test
    void a_revision_can_be_undeployed_from_an_environment() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1,
                        List.of(on("Default"), on("Europe")))))
                .when(new UndeployApiRevision(API_ID, "rev-1", List.of("Europe")))
                .expectEvents(new ApiRevisionUndeployed(API_ID, "rev-1", 1, List.of("Europe")));
    }

    @Test
    void undeploying_from_an_environment_the_revision_does_not_serve_is_not_found() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default")))))
                .when(new UndeployApiRevision(API_ID, "rev-1", List.of("Europe")))
                .expectNoEvents()
                .expectException(domainError(DomainError.EXISTING_DEPLOYMENT_NOT_FOUND));
    }

    @Test
    void undeploying_a_revision_from_an_environment_another_revision_serves_is_not_found() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default")))))
                .when(new UndeployApiRevision(API_ID, "rev-2", List.of("Default")))
                .expectNoEvents()
                .expectException(domainError(DomainError.EXISTING_DEPLOYMENT_NOT_FOUND));
    }

    @Test
    void undeploying_with_no_environments_undeploys_from_all() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1,
                        List.of(on("Default"), on("Europe")))))
                .when(new UndeployApiRevision(API_ID, "rev-1", List.of()))
                .expectEvents(new ApiRevisionUndeployed(API_ID, "rev-1", 1, List.of("Default", "Europe")));
    }

    @Test
    void undeploying_a_revision_deployed_nowhere_is_not_found() {
        fixture.given(twoRevisions())
                .when(new UndeployApiRevision(API_ID, "rev-1", List.of()))
                .expectNoEvents()
                .expectException(domainError(DomainError.EXISTING_DEPLOYMENT_NOT_FOUND));
    }

    @Test
    void undeploying_an_unknown_revision_is_not_found() {
        fixture.given(twoRevisions())
                .when(new UndeployApiRevision(API_ID, "rev-9", List.of("Default")))
                .expectNoEvents()
                .expectException(domainError(DomainError.API_REVISION_NOT_FOUND));
    }

    @Test
    void an_undeployed_environment_can_be_deployed_again() {
        fixture.given(twoRevisionsAnd(new ApiRevisionDeployed(API_ID, "rev-1", 1, List.of(on("Default"))),
                        new ApiRevisionUndeployed(API_ID, "rev-1", 1, List.of("Default"))))
                .when(new DeployApiRevision(API_ID, "rev-2", List.of(on("Default"))))
                .expectEvents(new ApiRevisionDeployed(API_ID, "rev-2", 2, List.of(on("Default"))));
    }
}
