package dev.apim.domain.blockcondition;

import dev.apim.domain.blockcondition.command.ChangeBlockConditionStatus;
import dev.apim.domain.blockcondition.command.CreateBlockCondition;
import dev.apim.domain.blockcondition.command.DeleteBlockCondition;
import dev.apim.domain.blockcondition.event.BlockConditionCreated;
import dev.apim.domain.blockcondition.event.BlockConditionDeleted;
import dev.apim.domain.blockcondition.event.BlockConditionStatusChanged;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BlockConditionTest {

    private static final String ID = "c-1";
    private static final String TENANT = "carbon.super";

    private final InMemoryBlockConditionRegistry registry = new InMemoryBlockConditionRegistry();
    private final Set<String> contexts = Set.of("/pizzashack", "/pizzashack/1.0.0");
    private BlockConditionTargets.Lookup applications = BlockConditionTargets.Lookup.EXISTS;
    private FixtureConfiguration<BlockCondition> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BlockCondition.class);
        fixture.registerInjectableResource(registry);
        fixture.registerInjectableResource(new BlockConditionTargets() {
            @Override
            public boolean apiContextExists(String tenant, String context) {
                return contexts.contains(context.toLowerCase());
            }

            @Override
            public Lookup application(String tenant, String owner, String name) {
                return applications;
            }
        });
    }

    private static CreateBlockCondition create(String type, BlockConditionValue value) {
        return new CreateBlockCondition(ID, TENANT, type, value, true);
    }

    private static BlockConditionCreated created(BlockConditionType type, BlockConditionValue value) {
        return new BlockConditionCreated(ID, TENANT, type, value, true);
    }

    private void refused(CreateBlockCondition command, DomainError error) {
        fixture.givenNoPriorActivity().when(command).expectNoEvents().expectException(domainError(error));
    }

    // ---- API ----

    @Test
    void an_api_condition_names_an_existing_context_with_its_version() {
        fixture.givenNoPriorActivity().when(create("API", BlockConditionValue.of("/pizzashack/1.0.0")))
                .expectEvents(created(BlockConditionType.API, BlockConditionValue.of("/pizzashack/1.0.0")));
    }

    @Test
    void an_api_condition_may_name_the_bare_context_and_drops_a_trailing_slash() {
        fixture.givenNoPriorActivity().when(create("api", BlockConditionValue.of("/pizzashack/")))
                .expectEvents(created(BlockConditionType.API, BlockConditionValue.of("/pizzashack")));
    }

    @Test
    void an_api_condition_for_an_unknown_context_is_refused() {
        refused(create("API", BlockConditionValue.of("/nothing/1.0.0")), DomainError.BLOCK_CONDITION_INVALID);
    }

    @Test
    void an_api_condition_must_look_like_a_context() {
        refused(create("API", BlockConditionValue.of("pizzashack")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("API", BlockConditionValue.of("/pizza shack")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("API", BlockConditionValue.of(" ")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("API", BlockConditionValue.ip("1.2.3.4", false)), DomainError.BLOCK_CONDITION_INVALID);
    }

    // ---- APPLICATION ----

    @Test
    void an_application_condition_is_owner_colon_name() {
        fixture.givenNoPriorActivity().when(create("APPLICATION", BlockConditionValue.of(" alice:My App ")))
                .expectEvents(created(BlockConditionType.APPLICATION, BlockConditionValue.of("alice:My App")));
    }

    @Test
    void an_application_condition_without_both_parts_is_refused() {
        refused(create("APPLICATION", BlockConditionValue.of("alice")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("APPLICATION", BlockConditionValue.of(":app")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("APPLICATION", BlockConditionValue.of("alice:")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("APPLICATION", BlockConditionValue.of("a:b:c")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("APPLICATION", BlockConditionValue.of("alice:<script>")), DomainError.BLOCK_CONDITION_INVALID);
    }

    @Test
    void an_application_known_to_be_missing_is_refused() {
        applications = BlockConditionTargets.Lookup.MISSING;
        refused(create("APPLICATION", BlockConditionValue.of("alice:app")), DomainError.BLOCK_CONDITION_INVALID);
    }

    @Test
    void an_application_is_accepted_by_format_when_no_catalogue_can_tell() {
        applications = BlockConditionTargets.Lookup.UNKNOWN;
        fixture.givenNoPriorActivity().when(create("APPLICATION", BlockConditionValue.of("alice:app")))
                .expectEvents(created(BlockConditionType.APPLICATION, BlockConditionValue.of("alice:app")));
    }

    // ---- USER ----

    @Test
    void a_user_condition_names_a_username() {
        fixture.givenNoPriorActivity().when(create("USER", BlockConditionValue.of("bob@example.com")))
                .expectEvents(created(BlockConditionType.USER, BlockConditionValue.of("bob@example.com")));
    }

    @Test
    void a_user_condition_with_unsafe_characters_is_refused() {
        refused(create("USER", BlockConditionValue.of("bob smith")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("USER", BlockConditionValue.of("bob;drop")), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("USER", BlockConditionValue.of("b".repeat(300))), DomainError.BLOCK_CONDITION_INVALID);
    }

    // ---- IP ----

    @Test
    void an_ip_condition_is_stored_in_canonical_form() {
        fixture.givenNoPriorActivity().when(create("IP", BlockConditionValue.ip("2001:DB8:0:0:0:0:0:1", true)))
                .expectEvents(created(BlockConditionType.IP, BlockConditionValue.ip("2001:db8::1", true)));
    }

    @Test
    void an_ip_condition_must_be_an_address_literal_never_a_host_name() {
        refused(create("IP", BlockConditionValue.ip("localhost", false)), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("IP", BlockConditionValue.ip("256.1.1.1", false)), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("IP", BlockConditionValue.ip("01.2.3.4", false)), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("IP", BlockConditionValue.ip("1.2.3", false)), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("IP", BlockConditionValue.ip("fe80::1%eth0", false)), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("IP", BlockConditionValue.ip(null, false)), DomainError.BLOCK_CONDITION_INVALID);
        refused(create("IP", BlockConditionValue.of("1.2.3.4")), DomainError.BLOCK_CONDITION_INVALID);
    }

    @Test
    void an_ip_range_runs_from_start_to_end_in_one_family() {
        fixture.givenNoPriorActivity().when(create("IPRANGE", BlockConditionValue.ipRange("10.0.0.1", "10.0.0.255", false)))
                .expectEvents(created(BlockConditionType.IPRANGE,
                        BlockConditionValue.ipRange("10.0.0.1", "10.0.0.255", false)));
    }

    @Test
    void an_ip_range_ending_before_it_starts_is_refused() {
        refused(create("IPRANGE", BlockConditionValue.ipRange("10.0.0.9", "10.0.0.1", false)),
                DomainError.BLOCK_CONDITION_INVALID);
    }

    @Test
    void an_ip_range_mixing_families_is_refused() {
        refused(create("IPRANGE", BlockConditionValue.ipRange("10.0.0.1", "::1", false)),
                DomainError.BLOCK_CONDITION_INVALID);
        refused(create("IPRANGE", BlockConditionValue.ipRange("10.0.0.1", "nope", false)),
                DomainError.BLOCK_CONDITION_INVALID);
    }

    // ---- type, uniqueness, status, deletion ----

    @Test
    void an_unknown_condition_type_is_refused() {
        refused(create("COUNTRY", BlockConditionValue.of("LK")), DomainError.UNSUPPORTED_THROTTLE_CONDITION_TYPE);
        refused(create(null, BlockConditionValue.of("LK")), DomainError.UNSUPPORTED_THROTTLE_CONDITION_TYPE);
    }

    @Test
    void a_missing_value_is_refused() {
        refused(create("USER", null), DomainError.BLOCK_CONDITION_INVALID);
    }

    @Test
    void the_same_value_twice_in_a_tenant_is_refused() {
        registry.claim(TENANT, BlockConditionType.USER, "bob", "other");
        refused(create("USER", BlockConditionValue.of("BOB")), DomainError.BLOCK_CONDITION_ALREADY_EXISTS);
    }

    @Test
    void a_condition_can_be_disabled_and_enabled_again() {
        BlockConditionValue user = BlockConditionValue.of("bob");
        fixture.given(created(BlockConditionType.USER, user))
                .when(new ChangeBlockConditionStatus(ID, TENANT, false))
                .expectEvents(new BlockConditionStatusChanged(ID, TENANT, BlockConditionType.USER, user, false));
        fixture.given(created(BlockConditionType.USER, user),
                        new BlockConditionStatusChanged(ID, TENANT, BlockConditionType.USER, user, false))
                .when(new ChangeBlockConditionStatus(ID, TENANT, true))
                .expectEvents(new BlockConditionStatusChanged(ID, TENANT, BlockConditionType.USER, user, true));
    }

    @Test
    void setting_the_status_it_already_has_writes_nothing() {
        fixture.given(created(BlockConditionType.USER, BlockConditionValue.of("bob")))
                .when(new ChangeBlockConditionStatus(ID, TENANT, true))
                .expectNoEvents()
                .expectResultMessagePayload(new BlockCondition.View(ID, BlockConditionType.USER,
                        BlockConditionValue.of("bob"), true));
    }

    @Test
    void another_tenant_cannot_see_the_condition() {
        fixture.given(created(BlockConditionType.USER, BlockConditionValue.of("bob")))
                .when(new DeleteBlockCondition(ID, "other.tenant"))
                .expectNoEvents()
                .expectException(domainError(DomainError.BLOCK_CONDITION_NOT_FOUND));
    }

    @Test
    void deleting_releases_the_value() {
        BlockConditionValue user = BlockConditionValue.of("bob");
        registry.claim(TENANT, BlockConditionType.USER, "bob", ID);
        fixture.given(created(BlockConditionType.USER, user))
                .when(new DeleteBlockCondition(ID, TENANT))
                .expectEvents(new BlockConditionDeleted(ID, TENANT, BlockConditionType.USER, user))
                .expectMarkedDeleted();
        assertThat(registry.holds(TENANT, BlockConditionType.USER, "bob")).isFalse();
    }

    private static Matcher<DomainException> domainError(DomainError expected) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainException e) {
                return e.error() == expected;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("DomainException ").appendValue(expected);
            }
        };
    }
}
