package dev.apim.domain.api;

import dev.apim.domain.api.command.ChangeApiLifecycle;
import dev.apim.domain.api.command.DeleteApi;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiRevisionCreated;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiRevisionUndeployed;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** A retired or deleted API leaves every gateway environment, as in WSO2. */
class ApiRemovalFromGatewaysTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    private static final String ID = "api-1";
    private final ApiDefinition definition = new ApiDefinition("Pets", "d", "/pets", "1.0.0", "alice", null, null, null,
            List.of("Gold"), null, null, null, null, null, false, new ApiEndpoints("http", "http://b.test/", null),
            List.of(new ApiOperation("/pets", "GET", null, null, List.of())), List.of(), Map.of(), Map.of()).validated();
    private AggregateTestFixture<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(new InMemoryApiContextRegistry());
        fixture.registerInjectableResource(subscriptionCheck);
    }

    private Object[] deployedTwice() {
        return new Object[]{
                new ApiCreated(ID, "carbon.super", definition, null),
                new ApiRevisionCreated(ID, "r1", 1, null, definition, null),
                new ApiRevisionCreated(ID, "r2", 2, null, definition, null),
                new ApiRevisionDeployed(ID, "r1", 1, List.of(new RevisionDeployment("Default", "localhost", true))),
                new ApiRevisionDeployed(ID, "r2", 2, List.of(new RevisionDeployment("Edge", "edge.test", true)))};
    }

    @Test
    void retiring_undeploys_every_revision_before_the_state_changes() {
        List<Object> given = new java.util.ArrayList<>(List.of(deployedTwice()));
        given.add(new ApiLifecycleChanged(ID, ApiLifecycleState.CREATED, ApiLifecycleState.PUBLISHED,
                LifecycleAction.PUBLISH));
        given.add(new ApiLifecycleChanged(ID, ApiLifecycleState.PUBLISHED, ApiLifecycleState.DEPRECATED,
                LifecycleAction.DEPRECATE));
        fixture.given(given)
                .when(new ChangeApiLifecycle(ID, null, LifecycleAction.RETIRE))
                .expectEvents(new ApiRevisionUndeployed(ID, "r1", 1, List.of("Default")),
                        new ApiRevisionUndeployed(ID, "r2", 2, List.of("Edge")),
                        new ApiLifecycleChanged(ID, ApiLifecycleState.DEPRECATED, ApiLifecycleState.RETIRED,
                                LifecycleAction.RETIRE));
    }

    @Test
    void deleting_undeploys_every_revision_before_the_api_is_deleted() {
        fixture.given(deployedTwice())
                .when(new DeleteApi(ID, null))
                .expectEvents(new ApiRevisionUndeployed(ID, "r1", 1, List.of("Default")),
                        new ApiRevisionUndeployed(ID, "r2", 2, List.of("Edge")),
                        new ApiDeleted(ID, "carbon.super", "/pets", "1.0.0"));
    }

    @Test
    void deleting_an_api_that_is_not_deployed_only_deletes_it() {
        fixture.given(new ApiCreated(ID, "carbon.super", definition, null))
                .when(new DeleteApi(ID, null))
                .expectEvents(new ApiDeleted(ID, "carbon.super", "/pets", "1.0.0"));
    }
}
