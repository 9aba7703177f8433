package dev.apim.domain.subscription;

import dev.apim.domain.common.Requester;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog;
import dev.apim.domain.subscription.command.ApproveSubscription;
import dev.apim.domain.subscription.command.BlockSubscription;
import dev.apim.domain.subscription.command.ChangeSubscriptionTier;
import dev.apim.domain.subscription.command.CreateSubscription;
import dev.apim.domain.subscription.command.DeleteSubscription;
import dev.apim.domain.subscription.command.RejectSubscription;
import dev.apim.domain.subscription.command.UnblockSubscription;
import dev.apim.domain.subscription.event.SubscriptionApproved;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.event.SubscriptionRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRequested;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.domain.subscription.event.SubscriptionUnblocked;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionTest {

    private static final String T = "carbon.super";
    private static final String SUB = "sub-1";
    private static final Requester ALICE = new Requester("alice", false);
    private static final Requester BOB = new Requester("bob", false);
    private static final Requester ADMIN = new Requester("admin", true);

    private final Targets targets = new Targets();
    private final Policies policies = new Policies();
    private final Registry registry = new Registry();
    private final java.util.Set<String> approvalTenants = new java.util.HashSet<>();
    private AggregateTestFixture<Subscription> fixture;

    @BeforeEach
    void setUp() {
        targets.apis.put("api-1", new SubscriptionTargets.ApiFacts("api-1", T, ApiLifecycleState.PUBLISHED,
                List.of("Gold", "Silver", "Approved")));
        targets.applications.put("app-1", new SubscriptionTargets.ApplicationFacts("app-1", T, "alice"));
        policies.add("Gold", false);
        policies.add("Silver", false);
        policies.add("Approved", true);
        fixture = new AggregateTestFixture<>(Subscription.class);
        fixture.registerInjectableResource(targets);
        fixture.registerInjectableResource(policies);
        fixture.registerInjectableResource(registry);
        fixture.registerInjectableResource((TenantWorkflowSettings) approvalTenants::contains);
    }

    private static SubscriptionCreated created(String tier, SubscriptionStatus status) {
        return new SubscriptionCreated(SUB, T, "api-1", "app-1", tier, status, "alice");
    }

    private static CreateSubscription subscribe(String tier, Requester who) {
        return new CreateSubscription(SUB, T, "api-1", "app-1", tier, who);
    }

    @Test
    void subscribing_with_a_plain_tier_is_active_at_once() {
        fixture.givenNoPriorActivity().when(subscribe("Gold", ALICE))
                .expectEvents(created("Gold", SubscriptionStatus.UNBLOCKED));
        assertThat(registry.claims).containsKey("api-1|app-1");
    }

    @Test
    void a_tier_that_requires_approval_puts_the_subscription_on_hold() {
        fixture.givenNoPriorActivity().when(subscribe("approved", ALICE))
                .expectEvents(created("Approved", SubscriptionStatus.ON_HOLD));
    }

    @Test
    void a_tenant_that_requires_approval_puts_every_subscription_on_hold() {
        approvalTenants.add(T);
        fixture.givenNoPriorActivity().when(subscribe("Gold", ALICE))
                .expectEvents(created("Gold", SubscriptionStatus.ON_HOLD));
    }

    @Test
    void a_tenant_that_requires_approval_makes_tier_changes_wait() {
        approvalTenants.add(T);
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED))
                .when(new ChangeSubscriptionTier(SUB, "Silver", ALICE))
                .expectEvents(new SubscriptionTierChangeRequested(SUB, T, "api-1", "app-1", "Silver"));
    }

    @ParameterizedTest
    @EnumSource(value = ApiLifecycleState.class, names = {"CREATED", "BLOCKED", "DEPRECATED", "RETIRED"})
    void only_published_or_prototyped_apis_can_be_subscribed_to(ApiLifecycleState state) {
        targets.apis.put("api-1", new SubscriptionTargets.ApiFacts("api-1", T, state, List.of("Gold")));
        fixture.givenNoPriorActivity().when(subscribe("Gold", ALICE))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_API_NOT_AVAILABLE));
    }

    @Test
    void a_prototyped_api_can_be_subscribed_to() {
        targets.apis.put("api-1", new SubscriptionTargets.ApiFacts("api-1", T, ApiLifecycleState.PROTOTYPED,
                List.of("Gold")));
        fixture.givenNoPriorActivity().when(subscribe("Gold", ALICE))
                .expectEvents(created("Gold", SubscriptionStatus.UNBLOCKED));
    }

    @Test
    void a_tier_the_api_does_not_offer_is_refused() {
        policies.add("Bronze", false);
        fixture.givenNoPriorActivity().when(subscribe("Bronze", ALICE))
                .expectNoEvents().expectException(error(DomainError.TIER_NAME_INVALID));
    }

    @Test
    void an_offered_tier_without_a_policy_is_refused() {
        targets.apis.put("api-1", new SubscriptionTargets.ApiFacts("api-1", T, ApiLifecycleState.PUBLISHED,
                List.of("Ghost")));
        fixture.givenNoPriorActivity().when(subscribe("Ghost", ALICE))
                .expectNoEvents().expectException(error(DomainError.POLICY_NOT_FOUND));
    }

    @Test
    void a_second_subscription_of_the_same_application_to_the_same_api_is_refused() {
        registry.claims.put("api-1|app-1", "other-sub");
        fixture.givenNoPriorActivity().when(subscribe("Gold", ALICE))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_ALREADY_EXISTS));
    }

    @Test
    void another_users_application_looks_like_it_does_not_exist() {
        fixture.givenNoPriorActivity().when(subscribe("Gold", BOB))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_NOT_FOUND));
    }

    @Test
    void an_administrator_may_subscribe_any_application() {
        fixture.givenNoPriorActivity().when(subscribe("Gold", ADMIN))
                .expectEvents(created("Gold", SubscriptionStatus.UNBLOCKED));
    }

    @Test
    void an_unknown_api_or_one_of_another_tenant_is_not_found() {
        targets.apis.put("api-1", new SubscriptionTargets.ApiFacts("api-1", "other.com", ApiLifecycleState.PUBLISHED,
                List.of("Gold")));
        fixture.givenNoPriorActivity().when(subscribe("Gold", ALICE))
                .expectNoEvents().expectException(error(DomainError.API_NOT_FOUND));
    }

    @Test
    void approval_activates_a_subscription_on_hold() {
        fixture.given(created("Approved", SubscriptionStatus.ON_HOLD)).when(new ApproveSubscription(SUB))
                .expectEvents(new SubscriptionApproved(SUB, "api-1", "app-1"));
    }

    @Test
    void rejection_ends_a_subscription_on_hold_and_frees_the_pair_for_a_new_attempt() {
        registry.claims.put("api-1|app-1", SUB);
        fixture.given(created("Approved", SubscriptionStatus.ON_HOLD)).when(new RejectSubscription(SUB, "no"))
                .expectEvents(new SubscriptionRejected(SUB, "api-1", "app-1", "no"));
        assertThat(registry.claims).doesNotContainKey("api-1|app-1");
    }

    @Test
    void the_tier_cannot_change_once_the_api_is_no_longer_subscribable() {
        targets.apis.put("api-1", new SubscriptionTargets.ApiFacts("api-1", T, ApiLifecycleState.DEPRECATED,
                List.of("Gold", "Silver")));
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED))
                .when(new ChangeSubscriptionTier(SUB, "Silver", ALICE))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_API_NOT_AVAILABLE));
    }

    @Test
    void approving_an_active_subscription_is_refused() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED)).when(new ApproveSubscription(SUB))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_STATE_INVALID));
    }

    @Test
    void the_publisher_blocks_fully_or_for_production_only_and_unblocks() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED)).when(new BlockSubscription(SUB, true))
                .expectEvents(new SubscriptionBlocked(SUB, T, "api-1", "app-1", true));
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED),
                        new SubscriptionBlocked(SUB, T, "api-1", "app-1", true))
                .when(new BlockSubscription(SUB, false))
                .expectEvents(new SubscriptionBlocked(SUB, T, "api-1", "app-1", false));
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED),
                        new SubscriptionBlocked(SUB, T, "api-1", "app-1", false))
                .when(new UnblockSubscription(SUB))
                .expectEvents(new SubscriptionUnblocked(SUB, "api-1", "app-1"));
    }

    @Test
    void blocking_twice_the_same_way_changes_nothing() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED), new SubscriptionBlocked(SUB, T, "api-1", "app-1", false))
                .when(new BlockSubscription(SUB, false)).expectNoEvents().expectSuccessfulHandlerExecution();
    }

    @Test
    void a_subscription_on_hold_or_rejected_cannot_be_blocked() {
        fixture.given(created("Approved", SubscriptionStatus.ON_HOLD)).when(new BlockSubscription(SUB, false))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_STATE_INVALID));
        fixture.given(created("Approved", SubscriptionStatus.ON_HOLD), new SubscriptionRejected(SUB, "api-1", "app-1", "x"))
                .when(new UnblockSubscription(SUB))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_STATE_INVALID));
    }

    @Test
    void changing_to_a_plain_tier_takes_effect_at_once() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED))
                .when(new ChangeSubscriptionTier(SUB, "Silver", ALICE))
                .expectEvents(new SubscriptionTierChanged(SUB, "api-1", "app-1", "Silver"));
    }

    @Test
    void changing_to_an_approval_tier_waits_and_keeps_the_old_tier_until_approved() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED))
                .when(new ChangeSubscriptionTier(SUB, "Approved", ALICE))
                .expectEvents(new SubscriptionTierChangeRequested(SUB, T, "api-1", "app-1", "Approved"));
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED),
                        new SubscriptionTierChangeRequested(SUB, T, "api-1", "app-1", "Approved"))
                .when(new ApproveSubscription(SUB))
                .expectEvents(new SubscriptionTierChanged(SUB, "api-1", "app-1", "Approved"));
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED),
                        new SubscriptionTierChangeRequested(SUB, T, "api-1", "app-1", "Approved"))
                .when(new RejectSubscription(SUB, "no"))
                .expectEvents(new SubscriptionTierChangeRejected(SUB, "api-1", "app-1", "Approved"));
    }

    @Test
    void after_a_rejected_tier_change_the_subscription_is_active_again() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED),
                        new SubscriptionTierChangeRequested(SUB, T, "api-1", "app-1", "Approved"),
                        new SubscriptionTierChangeRejected(SUB, "api-1", "app-1", "Approved"))
                .when(new BlockSubscription(SUB, false))
                .expectEvents(new SubscriptionBlocked(SUB, T, "api-1", "app-1", false));
    }

    @Test
    void only_the_owner_or_an_administrator_changes_the_tier_or_deletes() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED))
                .when(new ChangeSubscriptionTier(SUB, "Silver", BOB))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_NOT_FOUND));
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED)).when(new DeleteSubscription(SUB, BOB))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_NOT_FOUND));
    }

    @Test
    void the_tier_of_a_blocked_subscription_cannot_change() {
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED), new SubscriptionBlocked(SUB, T, "api-1", "app-1", false))
                .when(new ChangeSubscriptionTier(SUB, "Silver", ALICE))
                .expectNoEvents().expectException(error(DomainError.SUBSCRIPTION_STATE_INVALID));
    }

    @Test
    void deleting_releases_the_api_and_application_pair() {
        registry.claims.put("api-1|app-1", SUB);
        fixture.given(created("Gold", SubscriptionStatus.UNBLOCKED)).when(new DeleteSubscription(SUB, ALICE))
                .expectEvents(new SubscriptionDeleted(SUB, T, "api-1", "app-1"));
        assertThat(registry.claims).doesNotContainKey("api-1|app-1");
    }

    @Test
    void key_types_pass_by_status() {
        assertThat(SubscriptionStatus.UNBLOCKED.allows(true)).isTrue();
        assertThat(SubscriptionStatus.PROD_ONLY_BLOCKED.allows(true)).isFalse();
        assertThat(SubscriptionStatus.PROD_ONLY_BLOCKED.allows(false)).isTrue();
        assertThat(SubscriptionStatus.BLOCKED.allows(false)).isFalse();
        assertThat(SubscriptionStatus.ON_HOLD.allows(false)).isFalse();
        assertThat(SubscriptionStatus.TIER_UPDATE_PENDING.allows(true)).isTrue();
    }

    private static TypeSafeMatcher<DomainException> error(DomainError expected) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainException e) {
                return e.error() == expected;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("DomainException with " + expected);
            }
        };
    }

    static final class Targets implements SubscriptionTargets {
        final Map<String, ApiFacts> apis = new HashMap<>();
        final Map<String, ApplicationFacts> applications = new HashMap<>();

        @Override
        public Optional<ApiFacts> api(String apiId) {
            return Optional.ofNullable(apis.get(apiId));
        }

        @Override
        public Optional<ApplicationFacts> application(String applicationId) {
            return Optional.ofNullable(applications.get(applicationId));
        }
    }

    static final class Policies implements ThrottlePolicyCatalog {
        final Map<String, PolicyRef> byName = new HashMap<>();

        void add(String name, boolean approval) {
            byName.put(name.toLowerCase(Locale.ROOT), new PolicyRef("id-" + name, name, approval));
        }

        @Override
        public Optional<PolicyRef> find(String tenant, Level level, String name) {
            return level == Level.SUBSCRIPTION ? Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)))
                    : Optional.empty();
        }
    }

    static final class Registry implements SubscriptionRegistry {
        final Map<String, String> claims = new HashMap<>();

        @Override
        public void claim(String tenant, String apiId, String applicationId, String subscriptionId) {
            String previous = claims.putIfAbsent(apiId + "|" + applicationId, subscriptionId);
            if (previous != null && !previous.equals(subscriptionId)) {
                throw DomainException.of(DomainError.SUBSCRIPTION_ALREADY_EXISTS, "exists");
            }
        }

        @Override
        public void release(String tenant, String apiId, String applicationId, String subscriptionId) {
            claims.remove(apiId + "|" + applicationId, subscriptionId);
        }
    }
}
