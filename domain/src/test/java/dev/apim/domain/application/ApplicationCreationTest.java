package dev.apim.domain.application;

import dev.apim.domain.application.command.CreateApplication;
import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.apim.domain.application.ApplicationTestData.APP_ID;
import static dev.apim.domain.application.ApplicationTestData.OWNER;
import static dev.apim.domain.application.ApplicationTestData.POLICIES;
import static dev.apim.domain.application.ApplicationTestData.TENANT;
import static dev.apim.domain.application.ApplicationTestData.details;
import static dev.apim.domain.application.ApplicationTestData.domainError;
import static org.assertj.core.api.Assertions.assertThat;

class ApplicationCreationTest {

    private final InMemoryApplicationNames names = new InMemoryApplicationNames();
    private FixtureConfiguration<Application> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Application.class);
        fixture.registerInjectableResource(names);
        fixture.registerInjectableResource(POLICIES);
    }

    private void createIsRefused(ApplicationDetails details, DomainError error) {
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, OWNER, details))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(error));
    }

    private static ApplicationDetails with(String name, String description, String policy, String tokenType,
                                           Map<String, String> attributes, List<String> groups) {
        return new ApplicationDetails(name, description, policy, tokenType, attributes, groups);
    }

    @Test
    void creating_records_the_owner_and_the_validated_details() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, OWNER, details("  MyApp ")))
                .expectEvents(new ApplicationCreated(APP_ID, TENANT, OWNER, "MyApp", "An app", "10PerMin", "JWT",
                        Map.of("team", "blue"), List.of()));
    }

    @Test
    void the_token_type_defaults_to_jwt() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, OWNER, with("App", null, "Unlimited", null, null, null)))
                .expectEvents(new ApplicationCreated(APP_ID, TENANT, OWNER, "App", null, "Unlimited", "JWT",
                        Map.of(), List.of()));
    }

    @Test
    void creating_claims_the_name_for_the_owner() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, OWNER, details("MyApp")))
                .expectSuccessfulHandlerExecution();
        assertThat(names.holder(TENANT, OWNER, "myapp")).contains(APP_ID);
    }

    @Test
    void a_name_is_unique_per_owner_ignoring_case() {
        names.claim(TENANT, OWNER, "MyApp", "other-app");
        createIsRefused(details("MYAPP"), DomainError.APPLICATION_ALREADY_EXISTS);
    }

    @Test
    void another_owner_may_use_the_same_name() {
        names.claim(TENANT, "bob", "MyApp", "bobs-app");
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, OWNER, details("MyApp")))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void a_name_is_required() {
        createIsRefused(details("  "), DomainError.INVALID_INPUT);
    }

    @Test
    void a_name_has_at_most_100_characters() {
        createIsRefused(details("a".repeat(101)), DomainError.INVALID_INPUT);
    }

    @Test
    void a_name_of_100_characters_is_allowed() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, OWNER, details("a".repeat(100))))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void a_name_uses_a_safe_character_set() {
        createIsRefused(details("<script>"), DomainError.INVALID_INPUT);
        createIsRefused(details("app/one"), DomainError.INVALID_INPUT);
    }

    @Test
    void a_description_has_at_most_512_characters() {
        createIsRefused(with("App", "d".repeat(513), "10PerMin", "JWT", null, null), DomainError.INVALID_INPUT);
    }

    @Test
    void a_throttling_policy_is_required() {
        createIsRefused(with("App", null, " ", "JWT", null, null), DomainError.INVALID_INPUT);
    }

    @Test
    void the_throttling_policy_must_be_an_existing_application_policy() {
        createIsRefused(with("App", null, "Gold", "JWT", null, null), DomainError.INVALID_INPUT);
    }

    @Test
    void the_throttling_policy_name_must_match_exactly() {
        createIsRefused(with("App", null, "unlimited", "JWT", null, null), DomainError.INVALID_INPUT);
    }

    @Test
    void only_jwt_tokens_are_supported() {
        createIsRefused(with("App", null, "10PerMin", "OAUTH", null, null), DomainError.INVALID_INPUT);
    }

    @Test
    void an_application_has_at_most_50_attributes() {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            attributes.put("k" + i, "v");
        }
        createIsRefused(with("App", null, "10PerMin", "JWT", attributes, null), DomainError.INVALID_INPUT);
    }

    @Test
    void attribute_names_are_not_blank() {
        createIsRefused(with("App", null, "10PerMin", "JWT", Map.of(" ", "v"), null), DomainError.INVALID_INPUT);
    }

    @Test
    void attribute_values_are_present() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("k", null);
        createIsRefused(with("App", null, "10PerMin", "JWT", attributes, null), DomainError.INVALID_INPUT);
    }

    @Test
    void group_ids_are_validated_and_deduplicated() {
        createIsRefused(with("App", null, "10PerMin", "JWT", null, List.of("bad group")), DomainError.INVALID_INPUT);
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, OWNER,
                        with("App", null, "10PerMin", "JWT", null, List.of("g1", "g1", "g2"))))
                .expectEvents(new ApplicationCreated(APP_ID, TENANT, OWNER, "App", null, "10PerMin", "JWT",
                        Map.of(), List.of("g1", "g2")));
    }

    @Test
    void an_application_needs_an_owner() {
        fixture.givenNoPriorActivity()
                .when(new CreateApplication(APP_ID, TENANT, null, details("App")))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void a_refused_create_claims_no_name() {
        createIsRefused(with("App", null, "Gold", "JWT", null, null), DomainError.INVALID_INPUT);
        assertThat(names.holder(TENANT, OWNER, "App")).isEmpty();
    }
}
