package dev.apim.domain.api;

import dev.apim.domain.api.command.ChangeApiLifecycle;
import dev.apim.domain.api.event.ApiUpdated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.apim.domain.api.ApiLifecycleState.BLOCKED;
import static dev.apim.domain.api.ApiLifecycleState.CREATED;
import static dev.apim.domain.api.ApiLifecycleState.DEPRECATED;
import static dev.apim.domain.api.ApiLifecycleState.PROTOTYPED;
import static dev.apim.domain.api.ApiLifecycleState.PUBLISHED;
import static dev.apim.domain.api.ApiLifecycleState.RETIRED;
import static dev.apim.domain.api.ApiTestData.API_ID;
import static dev.apim.domain.api.ApiTestData.aDefinition;
import static dev.apim.domain.api.ApiTestData.apiIn;
import static dev.apim.domain.api.ApiTestData.created;
import static dev.apim.domain.api.ApiTestData.lifecycleChanged;
import static dev.apim.domain.api.DomainErrorMatcher.domainError;
import static dev.apim.domain.api.LifecycleAction.BLOCK;
import static dev.apim.domain.api.LifecycleAction.DEMOTE_TO_CREATED;
import static dev.apim.domain.api.LifecycleAction.DEPLOY_AS_PROTOTYPE;
import static dev.apim.domain.api.LifecycleAction.DEPRECATE;
import static dev.apim.domain.api.LifecycleAction.PUBLISH;
import static dev.apim.domain.api.LifecycleAction.REPUBLISH;
import static dev.apim.domain.api.LifecycleAction.RETIRE;
import static org.assertj.core.api.Assertions.assertThat;

/** Every (state, action) pair of WSO2's default lifecycle, legal or not. */
class ApiLifecycleTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    /** APILifeCycle.xml of WSO2 API Manager 4.x, without its self-transitions, written out independently. */
    private static final Map<ApiLifecycleState, Map<LifecycleAction, ApiLifecycleState>> WSO2_LIFECYCLE = Map.of(
            CREATED, Map.of(PUBLISH, PUBLISHED, DEPLOY_AS_PROTOTYPE, PROTOTYPED),
            PROTOTYPED, Map.of(PUBLISH, PUBLISHED, DEMOTE_TO_CREATED, CREATED),
            PUBLISHED, Map.of(BLOCK, BLOCKED, DEPLOY_AS_PROTOTYPE, PROTOTYPED, DEMOTE_TO_CREATED, CREATED,
                    DEPRECATE, DEPRECATED),
            BLOCKED, Map.of(DEPRECATE, DEPRECATED, REPUBLISH, PUBLISHED),
            DEPRECATED, Map.of(RETIRE, RETIRED),
            RETIRED, Map.of());

    private FixtureConfiguration<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(new InMemoryApiContextRegistry());
        fixture.registerInjectableResource(subscriptionCheck);
    }

    static Stream<Arguments> legalTransitions() {
        return allPairs().filter(pair -> WSO2_LIFECYCLE.get(pair.state()).containsKey(pair.action()))
                .map(pair -> Arguments.of(pair.state(), pair.action(),
                        WSO2_LIFECYCLE.get(pair.state()).get(pair.action())));
    }

    static Stream<Arguments> illegalTransitions() {
        return allPairs().filter(pair -> !WSO2_LIFECYCLE.get(pair.state()).containsKey(pair.action()))
                .map(pair -> Arguments.of(pair.state(), pair.action()));
    }

    private record Pair(ApiLifecycleState state, LifecycleAction action) {}

    private static Stream<Pair> allPairs() {
        List<Pair> pairs = new ArrayList<>();
        for (ApiLifecycleState state : ApiLifecycleState.values()) {
            for (LifecycleAction action : LifecycleAction.values()) {
                pairs.add(new Pair(state, action));
            }
        }
        return pairs.stream();
    }

    @Test
    void the_table_covers_every_state_and_action() {
        assertThat(legalTransitions().count() + illegalTransitions().count())
                .isEqualTo((long) ApiLifecycleState.values().length * LifecycleAction.values().length)
                .isEqualTo(42);
        assertThat(legalTransitions().count()).isEqualTo(11);
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("legalTransitions")
    void a_legal_action_moves_the_api_to_its_target_state(ApiLifecycleState from, LifecycleAction action,
                                                         ApiLifecycleState to) {
        fixture.given(apiIn(from))
                .when(new ChangeApiLifecycle(API_ID, null, action))
                .expectEvents(lifecycleChanged(from, action, to));
    }

    @ParameterizedTest(name = "{1} is illegal in {0}")
    @MethodSource("illegalTransitions")
    void any_other_action_is_an_illegal_transition(ApiLifecycleState from, LifecycleAction action) {
        fixture.given(apiIn(from))
                .when(new ChangeApiLifecycle(API_ID, null, action))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(DomainError.ILLEGAL_LIFECYCLE_TRANSITION));
    }

    @Test
    void the_enum_agrees_with_the_wso2_table() {
        for (ApiLifecycleState state : ApiLifecycleState.values()) {
            assertThat(state.availableTransitions()).as("transitions from %s", state)
                    .isEqualTo(WSO2_LIFECYCLE.get(state));
        }
    }

    @Test
    void an_illegal_action_names_the_allowed_ones() {
        fixture.given(apiIn(DEPRECATED))
                .when(new ChangeApiLifecycle(API_ID, null, PUBLISH))
                .expectExceptionMessage("Action 'Publish' is not allowed for an API in state DEPRECATED; "
                        + "allowed: [Retire]");
    }

    @Test
    void an_action_is_required() {
        fixture.given(created())
                .when(new ChangeApiLifecycle(API_ID, null, null))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_LIFECYCLE_ACTION));
    }

    @Test
    void publishing_needs_a_production_endpoint() {
        fixture.given(created(aDefinition().noEndpoints().build()))
                .when(new ChangeApiLifecycle(API_ID, null, PUBLISH))
                .expectNoEvents()
                .expectException(domainError(DomainError.PUBLISH_PRECONDITION_FAILED));
    }

    @Test
    void publishing_needs_a_subscription_tier() {
        fixture.given(created(aDefinition().policies().build()))
                .when(new ChangeApiLifecycle(API_ID, null, PUBLISH))
                .expectNoEvents()
                .expectException(domainError(DomainError.PUBLISH_PRECONDITION_FAILED));
    }

    @Test
    void publishing_a_prototype_needs_a_production_endpoint() {
        fixture.given(created(aDefinition().noEndpoints().build()),
                        lifecycleChanged(CREATED, DEPLOY_AS_PROTOTYPE, PROTOTYPED))
                .when(new ChangeApiLifecycle(API_ID, null, PUBLISH))
                .expectNoEvents()
                .expectException(domainError(DomainError.PUBLISH_PRECONDITION_FAILED));
    }

    @Test
    void an_api_without_endpoint_can_be_deployed_as_a_prototype() {
        fixture.given(created(aDefinition().noEndpoints().policies().build()))
                .when(new ChangeApiLifecycle(API_ID, null, DEPLOY_AS_PROTOTYPE))
                .expectEvents(lifecycleChanged(CREATED, DEPLOY_AS_PROTOTYPE, PROTOTYPED));
    }

    @Test
    void republishing_needs_a_production_endpoint() {
        List<Object> given = new ArrayList<>(apiIn(BLOCKED));
        given.add(new ApiUpdated(API_ID, aDefinition().noEndpoints().build().validated(), null));

        fixture.given(given)
                .when(new ChangeApiLifecycle(API_ID, null, REPUBLISH))
                .expectNoEvents()
                .expectException(domainError(DomainError.PUBLISH_PRECONDITION_FAILED));
    }

    @Test
    void republishing_needs_a_subscription_tier() {
        List<Object> given = new ArrayList<>(apiIn(BLOCKED));
        given.add(new ApiUpdated(API_ID, aDefinition().policies().build().validated(), null));

        fixture.given(given)
                .when(new ChangeApiLifecycle(API_ID, null, REPUBLISH))
                .expectNoEvents()
                .expectException(domainError(DomainError.PUBLISH_PRECONDITION_FAILED));
    }
}
