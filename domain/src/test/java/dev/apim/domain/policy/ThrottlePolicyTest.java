package dev.apim.domain.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.IpAddresses;
import dev.apim.domain.policy.ThrottleCondition.HeaderCondition;
import dev.apim.domain.policy.ThrottleCondition.IpCondition;
import dev.apim.domain.policy.ThrottleCondition.JwtClaimsCondition;
import dev.apim.domain.policy.ThrottleCondition.QueryParameterCondition;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.command.CreateThrottlePolicy;
import dev.apim.domain.policy.command.DeleteThrottlePolicy;
import dev.apim.domain.policy.command.UpdateThrottlePolicy;
import dev.apim.domain.policy.event.ThrottlePolicyCreated;
import dev.apim.domain.policy.event.ThrottlePolicyDeleted;
import dev.apim.domain.policy.event.ThrottlePolicyUpdated;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttling policy's rules, one per test. */
class ThrottlePolicyTest {

    static final String ID = "policy-1";
    static final String TENANT = "carbon.super";

    /** The claim table in a map. */
    static final class Claims implements ThrottlePolicyRegistry {
        final Map<String, String> owners = new HashMap<>();
        final Map<String, Boolean> approval = new HashMap<>();

        @Override
        public void claim(String tenant, Level level, String name, String policyId, boolean requiresApproval) {
            String owner = owners.putIfAbsent(key(tenant, level, name), policyId);
            if (owner != null && !owner.equals(policyId)) {
                throw DomainException.of(DomainError.POLICY_ALREADY_EXISTS, "Policy '%s' exists", name);
            }
            approval.put(policyId, requiresApproval);
        }

        @Override
        public void updateApproval(String tenant, Level level, String name, String policyId, boolean requiresApproval) {
            approval.put(policyId, requiresApproval);
        }

        @Override
        public void release(String tenant, Level level, String name, String policyId) {
            owners.remove(key(tenant, level, name), policyId);
        }

        static String key(String tenant, Level level, String name) {
            return tenant + '\u0000' + level + '\u0000' + name.toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Claims claims = new Claims();
    private final List<String> users = new ArrayList<>();
    private FixtureConfiguration<ThrottlePolicy> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ThrottlePolicy.class);
        fixture.registerInjectableResource(claims);
        fixture.registerInjectableResource((ThrottlePolicyUsage) (tenant, level, name) -> List.copyOf(users));
    }

    static Matcher<DomainException> error(DomainError expected) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainException e) {
                return e.error() == expected;
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("DomainException ").appendValue(expected);
            }
        };
    }

    static ThrottlePolicyDefinition app(String name, long perMin) {
        return ThrottlePolicyDefinition.simple(name, null, "d", ThrottleLimit.requests(perMin, 1, "min"));
    }

    static ThrottlePolicyDefinition sub(String name) {
        return new ThrottlePolicyDefinition(name, "Gold tier", "d", ThrottleLimit.requests(5000, 1, "min"), 10, "sec",
                true, "COMMERCIAL", List.of(new ThrottlePolicyDefinition.CustomAttribute("a", "b")), true, List.of());
    }

    static ThrottlePolicyDefinition advanced(ThrottleCondition... conditions) {
        return new ThrottlePolicyDefinition("Adv", null, null, ThrottleLimit.requests(100, 1, "min"), 0, null, false,
                null, null, false, List.of(new ConditionalGroup("g", List.of(conditions),
                ThrottleLimit.bandwidth(10, "MB", 1, "hour"))));
    }

    static ThrottleCondition ip(String type, String specific, String start, String end) {
        return new ThrottleCondition(ThrottleCondition.IP, false, null, new IpCondition(type, specific, start, end),
                null, null);
    }

    private ThrottlePolicyCreated created(Level level, ThrottlePolicyDefinition d) {
        return new ThrottlePolicyCreated(ID, TENANT, level, d.validated(level));
    }

    private void refusedCreate(Level level, ThrottlePolicyDefinition d, DomainError expected) {
        fixture.givenNoPriorActivity()
                .when(new CreateThrottlePolicy(ID, TENANT, level, d))
                .expectNoEvents()
                .expectException(error(expected));
    }

    // ---- creation ----

    @Test
    void an_application_policy_is_created_with_display_name_defaulting_to_the_name() {
        fixture.givenNoPriorActivity()
                .when(new CreateThrottlePolicy(ID, TENANT, Level.APPLICATION, app("5PerMin", 5)))
                .expectEvents(new ThrottlePolicyCreated(ID, TENANT, Level.APPLICATION,
                        ThrottlePolicyDefinition.simple("5PerMin", "5PerMin", "d", ThrottleLimit.requests(5, 1, "min"))));
        assertThat(claims.owners).containsValue(ID);
    }

    @Test
    void a_subscription_policy_keeps_burst_control_billing_attributes_and_approval() {
        fixture.givenNoPriorActivity()
                .when(new CreateThrottlePolicy(ID, TENANT, Level.SUBSCRIPTION, sub("Platinum")))
                .expectEvents(created(Level.SUBSCRIPTION, sub("Platinum")));
        assertThat(claims.approval).containsEntry(ID, true);
    }

    @Test
    void an_advanced_policy_keeps_its_conditional_groups() {
        ThrottlePolicyDefinition d = advanced(
                new ThrottleCondition(ThrottleCondition.HEADER, true, new HeaderCondition("X-Tier", "gold"), null, null, null),
                ip(ThrottleCondition.IP_RANGE, null, "10.0.0.1", "10.0.0.255"),
                new ThrottleCondition(ThrottleCondition.QUERY_PARAMETER, false, null, null,
                        new QueryParameterCondition("q", "1"), null),
                new ThrottleCondition(ThrottleCondition.JWT_CLAIMS, false, null, null, null,
                        new JwtClaimsCondition("http://wso2.org/claims/role", "admin.*")));
        fixture.givenNoPriorActivity()
                .when(new CreateThrottlePolicy(ID, TENANT, Level.API, d))
                .expectEvents(created(Level.API, d));
    }

    @Test
    void a_bandwidth_limit_is_accepted() {
        ThrottlePolicyDefinition d = ThrottlePolicyDefinition.simple("Bw", null, null,
                ThrottleLimit.bandwidth(1, "GB", 1, "day"));
        fixture.givenNoPriorActivity().when(new CreateThrottlePolicy(ID, TENANT, Level.APPLICATION, d))
                .expectEvents(created(Level.APPLICATION, d));
    }

    @Test
    void a_duplicate_name_in_the_same_level_is_refused_case_insensitively() {
        claims.claim(TENANT, Level.APPLICATION, "gold", "other", false);
        refusedCreate(Level.APPLICATION, app("Gold", 5), DomainError.POLICY_ALREADY_EXISTS);
    }

    @Test
    void the_same_name_in_another_level_is_allowed() {
        claims.claim(TENANT, Level.SUBSCRIPTION, "Gold", "other", false);
        fixture.givenNoPriorActivity().when(new CreateThrottlePolicy(ID, TENANT, Level.APPLICATION, app("Gold", 5)))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void a_missing_level_is_refused() {
        refusedCreate(null, app("X", 1), DomainError.POLICY_LEVEL_NOT_SUPPORTED);
    }

    @Test
    void a_blank_name_is_refused() {
        refusedCreate(Level.APPLICATION, app(" ", 1), DomainError.INVALID_INPUT);
    }

    @Test
    void a_name_with_unsafe_characters_is_refused() {
        refusedCreate(Level.APPLICATION, app("a<b>", 1), DomainError.INVALID_INPUT);
        refusedCreate(Level.APPLICATION, app("has space", 1), DomainError.INVALID_INPUT);
    }

    @Test
    void a_name_longer_than_the_limit_is_refused() {
        refusedCreate(Level.APPLICATION, app("a".repeat(ThrottlePolicyDefinition.MAX_NAME + 1), 1),
                DomainError.INVALID_INPUT);
    }

    @Test
    void a_missing_default_limit_is_refused() {
        refusedCreate(Level.APPLICATION, ThrottlePolicyDefinition.simple("X", null, null, null), DomainError.INVALID_INPUT);
    }

    @Test
    void a_non_positive_request_count_is_refused() {
        refusedCreate(Level.APPLICATION, app("X", 0), DomainError.INVALID_INPUT);
        refusedCreate(Level.APPLICATION, app("X", -5), DomainError.INVALID_INPUT);
    }

    @Test
    void an_unknown_time_unit_is_refused() {
        refusedCreate(Level.APPLICATION, ThrottlePolicyDefinition.simple("X", null, null,
                ThrottleLimit.requests(1, 1, "week")), DomainError.INVALID_INPUT);
    }

    @Test
    void a_non_positive_unit_time_is_refused() {
        refusedCreate(Level.APPLICATION, ThrottlePolicyDefinition.simple("X", null, null,
                ThrottleLimit.requests(1, 0, "min")), DomainError.INVALID_INPUT);
    }

    @Test
    void an_unknown_data_unit_is_refused() {
        refusedCreate(Level.APPLICATION, ThrottlePolicyDefinition.simple("X", null, null,
                ThrottleLimit.bandwidth(1, "TB", 1, "min")), DomainError.INVALID_INPUT);
    }

    @Test
    void an_unsupported_limit_type_is_refused() {
        refusedCreate(Level.APPLICATION, ThrottlePolicyDefinition.simple("X", null, null,
                new ThrottleLimit("EVENTCOUNTLIMIT", null, null)), DomainError.UNSUPPORTED_THROTTLE_LIMIT_TYPE);
    }

    @Test
    void a_limit_type_without_its_part_is_refused() {
        refusedCreate(Level.APPLICATION, ThrottlePolicyDefinition.simple("X", null, null,
                new ThrottleLimit(ThrottleLimit.BANDWIDTH, new ThrottleLimit.RequestCount("min", 1, 1), null)),
                DomainError.INVALID_INPUT);
    }

    @Test
    void subscription_fields_are_refused_at_the_application_level() {
        refusedCreate(Level.APPLICATION, sub("X"), DomainError.INVALID_INPUT);
    }

    @Test
    void conditional_groups_are_refused_outside_the_api_level() {
        refusedCreate(Level.SUBSCRIPTION, advanced(ip(ThrottleCondition.IP_SPECIFIC, "1.2.3.4", null, null)),
                DomainError.INVALID_INPUT);
    }

    @Test
    void burst_control_needs_sec_or_min() {
        ThrottlePolicyDefinition d = new ThrottlePolicyDefinition("X", null, null, ThrottleLimit.requests(5, 1, "min"),
                10, "hour", false, null, null, false, null);
        refusedCreate(Level.SUBSCRIPTION, d, DomainError.INVALID_INPUT);
    }

    @Test
    void a_negative_burst_count_is_refused() {
        ThrottlePolicyDefinition d = new ThrottlePolicyDefinition("X", null, null, ThrottleLimit.requests(5, 1, "min"),
                -1, "sec", false, null, null, false, null);
        refusedCreate(Level.SUBSCRIPTION, d, DomainError.INVALID_INPUT);
    }

    @Test
    void an_unknown_billing_plan_is_refused() {
        ThrottlePolicyDefinition d = new ThrottlePolicyDefinition("X", null, null, ThrottleLimit.requests(5, 1, "min"),
                0, null, false, "PREMIUM", null, false, null);
        refusedCreate(Level.SUBSCRIPTION, d, DomainError.INVALID_INPUT);
    }

    @Test
    void duplicate_custom_attributes_are_refused() {
        ThrottlePolicyDefinition d = new ThrottlePolicyDefinition("X", null, null, ThrottleLimit.requests(5, 1, "min"),
                0, null, false, null, List.of(new ThrottlePolicyDefinition.CustomAttribute("a", "1"),
                new ThrottlePolicyDefinition.CustomAttribute("A", "2")), false, null);
        refusedCreate(Level.SUBSCRIPTION, d, DomainError.INVALID_INPUT);
    }

    @Test
    void an_unsupported_condition_type_is_refused() {
        refusedCreate(Level.API, advanced(new ThrottleCondition("COOKIECONDITION", false, null, null, null, null)),
                DomainError.UNSUPPORTED_THROTTLE_CONDITION_TYPE);
    }

    @Test
    void a_condition_without_its_part_is_refused() {
        refusedCreate(Level.API, advanced(new ThrottleCondition(ThrottleCondition.HEADER, false, null, null, null, null)),
                DomainError.INVALID_INPUT);
    }

    @Test
    void an_invalid_header_name_is_refused() {
        refusedCreate(Level.API, advanced(new ThrottleCondition(ThrottleCondition.HEADER, false,
                new HeaderCondition("bad header", "v"), null, null, null)), DomainError.INVALID_INPUT);
    }

    @Test
    void an_invalid_jwt_claim_pattern_is_refused() {
        refusedCreate(Level.API, advanced(new ThrottleCondition(ThrottleCondition.JWT_CLAIMS, false, null, null, null,
                new JwtClaimsCondition("claim", "(unclosed"))), DomainError.INVALID_INPUT);
    }

    @Test
    void a_host_name_is_not_an_ip_address() {
        refusedCreate(Level.API, advanced(ip(ThrottleCondition.IP_SPECIFIC, "localhost", null, null)),
                DomainError.INVALID_INPUT);
        refusedCreate(Level.API, advanced(ip(ThrottleCondition.IP_SPECIFIC, "256.1.1.1", null, null)),
                DomainError.INVALID_INPUT);
    }

    @Test
    void an_ip_range_must_not_run_backwards() {
        refusedCreate(Level.API, advanced(ip(ThrottleCondition.IP_RANGE, null, "10.0.0.9", "10.0.0.1")),
                DomainError.INVALID_INPUT);
    }

    @Test
    void an_ip_range_must_stay_in_one_family() {
        refusedCreate(Level.API, advanced(ip(ThrottleCondition.IP_RANGE, null, "10.0.0.1", "::1")),
                DomainError.INVALID_INPUT);
    }

    @Test
    void an_unknown_ip_condition_type_is_refused() {
        refusedCreate(Level.API, advanced(ip("IPSUBNET", "10.0.0.1", null, null)), DomainError.INVALID_INPUT);
    }

    @Test
    void ipv6_literals_are_parsed_without_lookups() {
        assertThat(IpAddresses.parse("::1")).isPresent();
        assertThat(IpAddresses.parse("2001:db8::8a2e:370:7334")).isPresent();
        assertThat(IpAddresses.parse("::ffff:10.0.0.1")).isPresent();
        assertThat(IpAddresses.parse("1:2:3:4:5:6:7:8")).isPresent();
        assertThat(IpAddresses.parse("1:2:3:4:5:6:7:8:9")).isEmpty();
        assertThat(IpAddresses.parse("1::2::3")).isEmpty();
        assertThat(IpAddresses.parse("example.com")).isEmpty();
        assertThat(IpAddresses.compare(IpAddresses.parse("::2").orElseThrow(),
                IpAddresses.parse("::1").orElseThrow())).isPositive();
    }

    // ---- update ----

    @Test
    void a_policy_is_updated() {
        fixture.given(created(Level.APPLICATION, app("P", 5)))
                .when(new UpdateThrottlePolicy(ID, null, TENANT, Level.APPLICATION, app("P", 7)))
                .expectEvents(new ThrottlePolicyUpdated(ID, TENANT, Level.APPLICATION, app("P", 7).validated(Level.APPLICATION)));
    }

    @Test
    void the_name_cannot_change() {
        fixture.given(created(Level.APPLICATION, app("P", 5)))
                .when(new UpdateThrottlePolicy(ID, null, TENANT, Level.APPLICATION, app("Q", 5)))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void an_update_addressed_at_another_level_finds_nothing() {
        fixture.given(created(Level.APPLICATION, app("P", 5)))
                .when(new UpdateThrottlePolicy(ID, null, TENANT, Level.SUBSCRIPTION, app("P", 5)))
                .expectNoEvents().expectException(error(DomainError.POLICY_NOT_FOUND));
    }

    @Test
    void an_invalid_update_is_refused() {
        fixture.given(created(Level.APPLICATION, app("P", 5)))
                .when(new UpdateThrottlePolicy(ID, null, TENANT, Level.APPLICATION, app("P", 0)))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void changing_approval_updates_the_claim() {
        ThrottlePolicyDefinition d = sub("S");
        ThrottlePolicyDefinition noApproval = new ThrottlePolicyDefinition("S", null, null, d.defaultLimit(), 0, null,
                false, null, null, false, null);
        claims.approval.put(ID, true);
        fixture.given(created(Level.SUBSCRIPTION, d))
                .when(new UpdateThrottlePolicy(ID, null, TENANT, Level.SUBSCRIPTION, noApproval))
                .expectSuccessfulHandlerExecution();
        assertThat(claims.approval).containsEntry(ID, false);
    }

    // ---- deletion ----

    @Test
    void an_unused_policy_is_deleted_and_its_name_released() {
        claims.claim(TENANT, Level.APPLICATION, "P", ID, false);
        fixture.given(created(Level.APPLICATION, app("P", 5)))
                .when(new DeleteThrottlePolicy(ID, null, TENANT, Level.APPLICATION))
                .expectEvents(new ThrottlePolicyDeleted(ID, TENANT, Level.APPLICATION, "P"))
                .expectMarkedDeleted();
        assertThat(claims.owners).isEmpty();
    }

    @Test
    void a_policy_in_use_cannot_be_deleted() {
        users.add("API PizzaShack");
        fixture.given(created(Level.SUBSCRIPTION, sub("S")))
                .when(new DeleteThrottlePolicy(ID, null, TENANT, Level.SUBSCRIPTION))
                .expectNoEvents().expectException(error(DomainError.POLICY_IN_USE));
    }

    @Test
    void unlimited_can_never_be_deleted_at_any_level() {
        for (Level level : Level.values()) {
            ThrottlePolicyDefinition d = level == Level.SUBSCRIPTION
                    ? ThrottlePolicyDefinition.subscription("Unlimited", null, null, ThrottleLimit.requests(2147483647, 1, "min"), false)
                    : app("Unlimited", 2147483647);
            fixture.given(created(level, d))
                    .when(new DeleteThrottlePolicy(ID, null, TENANT, level))
                    .expectNoEvents().expectException(error(DomainError.POLICY_IN_USE));
        }
    }

    @Test
    void a_delete_addressed_at_another_tenant_finds_nothing() {
        fixture.given(created(Level.APPLICATION, app("P", 5)))
                .when(new DeleteThrottlePolicy(ID, null, "other.tenant", Level.APPLICATION))
                .expectNoEvents().expectException(error(DomainError.POLICY_NOT_FOUND));
    }

    @Test
    void a_deleted_policy_cannot_be_updated() {
        fixture.given(created(Level.APPLICATION, app("P", 5)), new ThrottlePolicyDeleted(ID, TENANT, Level.APPLICATION, "P"))
                .when(new UpdateThrottlePolicy(ID, null, TENANT, Level.APPLICATION, app("P", 5)))
                .expectException(AggregateDeletedException.class);
    }
}
