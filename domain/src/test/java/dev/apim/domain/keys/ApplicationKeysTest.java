package dev.apim.domain.keys;

import dev.apim.domain.common.Requester;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.keys.command.GenerateApplicationKeys;
import dev.apim.domain.keys.command.RegenerateConsumerSecret;
import dev.apim.domain.keys.command.RemoveApplicationKeys;
import dev.apim.domain.keys.command.RevokeApplicationKeys;
import dev.apim.domain.keys.command.UpdateApplicationKeys;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.ApplicationKeysUpdated;
import dev.apim.domain.keys.event.ConsumerSecretRegenerated;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationKeysTest {

    private static final String T = "carbon.super";
    private static final String APP = "app-1";
    private static final String MAPPING = "3f1e2d4c-5b6a-4789-8abc-def012345678";
    private static final String ID = ApplicationKeys.idOf(MAPPING);
    private static final String OTHER_MAPPING = "9a8b7c6d-5e4f-4321-8fed-cba987654321";
    /** The id mappings had before each generation got its own: one per application and key type. */
    private static final String LEGACY_ID = "keys:" + APP + ":PRODUCTION";
    private static final String KEY = "aB3dE5gH7jK9mN1pQ3sT";
    private static final String CLEAR_SECRET = "s3cr3t-Cl3ar-V4lue-Never-Stored";
    private static final String HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    private static final String NEW_HASH = "$2b$12$abcdefghijklmnopqrstuuQwErTyUiOpAsDfGhJkLzXcVbNm12345";
    private static final String CALLBACK = "https://app.example.com/callback";
    private static final List<String> CC = List.of("client_credentials");
    private static final Requester ALICE = new Requester("alice", false);
    private static final Requester BOB = new Requester("bob", false);
    private static final Requester ADMIN = new Requester("admin", true);
    private static final String UUID_OTHER_TENANT = "0e1d2c3b-4a59-4687-9a5b-4c3d2e1f0a9b";

    private AggregateTestFixture<ApplicationKeys> fixture;
    private InMemoryKeyMappingRegistry registry;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ApplicationKeys.class);
        registry = new InMemoryKeyMappingRegistry();
        fixture.registerInjectableResource(registry);
    }

    // ---- helpers ----

    private static GenerateApplicationKeys generate(List<String> grants, String callback, TokenLifetimes lifetimes,
                                                    Requester who) {
        return new GenerateApplicationKeys(ID, MAPPING, T, APP, "alice", KeyType.PRODUCTION, KEY, HASH, grants,
                callback, lifetimes, who);
    }

    private static GenerateApplicationKeys generate() {
        return generate(CC, null, null, ALICE);
    }

    private static GenerateApplicationKeys withKey(String consumerKey) {
        return new GenerateApplicationKeys(ID, MAPPING, T, APP, "alice", KeyType.PRODUCTION, consumerKey, HASH, CC,
                null, null, ALICE);
    }

    private static GenerateApplicationKeys withHash(String hash) {
        return new GenerateApplicationKeys(ID, MAPPING, T, APP, "alice", KeyType.PRODUCTION, KEY, hash, CC, null,
                null, ALICE);
    }

    private static ApplicationKeysGenerated generated(List<String> grants, String callback, TokenLifetimes lifetimes) {
        return new ApplicationKeysGenerated(ID, MAPPING, T, APP, "alice", KeyType.PRODUCTION, KEY, HASH, grants,
                callback, lifetimes);
    }

    private static ApplicationKeysGenerated generated() {
        return generated(CC, null, TokenLifetimes.defaults());
    }

    private static ApplicationKeysRevoked revoked() {
        return new ApplicationKeysRevoked(ID, KEY, APP, "Application deleted");
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

    /** Captures the published events, matching any list. */
    private static final class Capture extends BaseMatcher<List<EventMessage<?>>> {
        final List<Object> payloads = new ArrayList<>();

        @Override
        public boolean matches(Object actual) {
            for (Object message : (List<?>) actual) {
                payloads.add(((EventMessage<?>) message).getPayload());
            }
            return true;
        }

        @Override
        public void describeTo(Description description) {
            description.appendText("any events");
        }
    }

    // ---- generating ----

    @Test
    void each_generation_has_its_own_id_from_the_key_mapping_id() {
        assertThat(ApplicationKeys.idOf(MAPPING)).isEqualTo("keys:" + MAPPING);
        assertThat(ApplicationKeys.idOf(OTHER_MAPPING)).isNotEqualTo(ApplicationKeys.idOf(MAPPING));
    }

    @Test
    void the_owner_generates_keys_with_the_secret_only_as_a_hash() {
        fixture.givenNoPriorActivity().when(generate()).expectEvents(generated());
    }

    @Test
    void generating_claims_the_application_and_key_type_for_the_mapping() {
        fixture.givenNoPriorActivity().when(generate()).expectSuccessfulHandlerExecution();
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isEqualTo(ID);
        assertThat(registry.holder(T, APP, KeyType.SANDBOX)).isNull();
    }

    @Test
    void a_second_live_mapping_for_the_same_application_and_key_type_is_refused() {
        registry.claim(T, APP, KeyType.PRODUCTION, ApplicationKeys.idOf(OTHER_MAPPING));
        fixture.givenNoPriorActivity().when(generate())
                .expectNoEvents().expectException(error(DomainError.KEY_MAPPING_ALREADY_EXIST));
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isEqualTo(ApplicationKeys.idOf(OTHER_MAPPING));
    }

    @Test
    void the_other_key_type_and_other_applications_are_not_blocked_by_a_claim() {
        registry.claim(T, APP, KeyType.SANDBOX, ApplicationKeys.idOf(OTHER_MAPPING));
        registry.claim(T, "app-2", KeyType.PRODUCTION, "keys:app-2:PRODUCTION");
        registry.claim("other.tenant", APP, KeyType.PRODUCTION, "keys:" + UUID_OTHER_TENANT);
        fixture.givenNoPriorActivity().when(generate()).expectEvents(generated());
    }

    @Test
    void a_refused_generate_leaves_no_claim() {
        fixture.givenNoPriorActivity().when(generate(List.of("refresh_token"), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isNull();
    }

    @Test
    void an_admin_may_generate_keys_for_someone_elses_application() {
        fixture.givenNoPriorActivity().when(generate(CC, null, null, ADMIN)).expectEvents(generated());
    }

    @Test
    void another_user_cannot_generate_keys_and_is_told_the_application_does_not_exist() {
        fixture.givenNoPriorActivity().when(generate(CC, null, null, BOB))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_NOT_FOUND));
    }

    @Test
    void a_requester_is_required() {
        fixture.givenNoPriorActivity().when(generate(CC, null, null, null))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void missing_lifetimes_take_the_wso2_defaults() {
        fixture.givenNoPriorActivity().when(generate(CC, null, new TokenLifetimes(7200L, null, null, 600L), ALICE))
                .expectEvents(generated(CC, null, new TokenLifetimes(7200L, 3600L, 86400L, 600L)));
        assertThat(TokenLifetimes.defaults()).isEqualTo(new TokenLifetimes(3600L, 3600L, 86400L, 3600L));
    }

    @Test
    void generating_into_an_existing_stream_is_refused_by_the_event_stream() {
        // Generate is the constructor: against an existing stream it can only try to start the stream again,
        // which the store refuses (the fixture on the sequence number, production on the unique stream start).
        fixture.given(generated()).when(generate()).expectNoEvents()
                .expectException(org.axonframework.eventsourcing.eventstore.EventStoreException.class);
    }

    @Test
    void a_refused_second_generate_is_reported_as_key_mapping_already_exist() {
        DomainException e = ApplicationKeys.keyMappingAlreadyExists(APP, KeyType.PRODUCTION);
        assertThat(e.error()).isEqualTo(DomainError.KEY_MAPPING_ALREADY_EXIST);
        assertThat(e.error().code()).isEqualTo(901408);
        assertThat(e.description()).contains(APP).contains("PRODUCTION");
    }

    @Test
    void the_keys_id_must_be_derived_from_the_key_mapping_id() {
        for (String wrong : List.of(ApplicationKeys.idOf(OTHER_MAPPING), LEGACY_ID, MAPPING)) {
            fixture.givenNoPriorActivity().when(new GenerateApplicationKeys(wrong, MAPPING, T, APP, "alice",
                            KeyType.PRODUCTION, KEY, HASH, CC, null, null, ALICE))
                    .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
        }
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isNull();
    }

    @Test
    void tenant_application_owner_and_key_type_are_required() {
        fixture.givenNoPriorActivity().when(new GenerateApplicationKeys(ID, MAPPING, " ", APP, "alice",
                        KeyType.PRODUCTION, KEY, HASH, CC, null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
        fixture.givenNoPriorActivity().when(new GenerateApplicationKeys(ID, MAPPING, T, APP, null,
                        KeyType.PRODUCTION, KEY, HASH, CC, null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
        fixture.givenNoPriorActivity().when(new GenerateApplicationKeys(ID, MAPPING, T, APP, "alice", null, KEY,
                        HASH, CC, null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void the_key_mapping_id_must_be_a_uuid() {
        fixture.givenNoPriorActivity().when(new GenerateApplicationKeys(ID, "not-a-uuid", T, APP, "alice",
                        KeyType.PRODUCTION, KEY, HASH, CC, null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short-key-15chr", "has space in the consumer key", "key.with.dots.in.it",
            "a-key-that-is-far-too-long-to-be-accepted-as-a-consumer-key-really"})
    void the_consumer_key_must_be_16_to_64_url_safe_characters(String consumerKey) {
        fixture.givenNoPriorActivity().when(withKey(consumerKey))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void a_64_character_consumer_key_is_accepted() {
        String key = "A".repeat(64);
        fixture.givenNoPriorActivity().when(withKey(key)).expectSuccessfulHandlerExecution();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", CLEAR_SECRET, "5f4dcc3b5aa765d61d8327deb882cf99", "$1$md5crypt$xyz",
            "$5$rounds=5000$sha256crypt"})
    void the_consumer_secret_must_arrive_as_a_slow_hash(String notAHash) {
        fixture.givenNoPriorActivity().when(withHash(notAHash))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void a_missing_consumer_secret_hash_is_refused() {
        fixture.givenNoPriorActivity().when(withHash(null))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "$2a$10$abc", "$2b$12$abc",
            "$2y$10$abc"})
    void argon2_and_bcrypt_hashes_are_accepted(String hash) {
        fixture.givenNoPriorActivity().when(withHash(hash)).expectSuccessfulHandlerExecution();
    }

    // ---- grant types and callback URL ----

    @Test
    void grant_types_are_required() {
        fixture.givenNoPriorActivity().when(generate(List.of(), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
        fixture.givenNoPriorActivity().when(generate(null, null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLIENT_CREDENTIALS", "token_exchange", "urn:ietf:params:oauth:grant-type:foo", " "})
    void only_wso2_grant_types_are_accepted(String grant) {
        fixture.givenNoPriorActivity().when(generate(List.of("client_credentials", grant), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
    }

    @Test
    void every_wso2_grant_type_is_accepted_and_events_list_them_in_a_stable_order() {
        List<String> reversed = new ArrayList<>(GrantTypes.SUPPORTED);
        java.util.Collections.reverse(reversed);
        fixture.givenNoPriorActivity().when(generate(reversed, CALLBACK, null, ALICE))
                .expectEvents(generated(GrantTypes.SUPPORTED, CALLBACK, TokenLifetimes.defaults()));
    }

    @Test
    void duplicate_grant_types_are_listed_once() {
        fixture.givenNoPriorActivity()
                .when(generate(List.of("password", "client_credentials", "password"), null, null, ALICE))
                .expectEvents(generated(List.of("client_credentials", "password"), null, TokenLifetimes.defaults()));
    }

    @Test
    void refresh_token_alone_is_refused() {
        fixture.givenNoPriorActivity().when(generate(List.of("refresh_token"), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
        fixture.givenNoPriorActivity().when(generate(List.of("refresh_token", "client_credentials"), null, null,
                        ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
    }

    @Test
    void refresh_token_is_accepted_with_password() {
        fixture.givenNoPriorActivity().when(generate(List.of("refresh_token", "password"), null, null, ALICE))
                .expectEvents(generated(List.of("password", "refresh_token"), null, TokenLifetimes.defaults()));
    }

    @Test
    void refresh_token_is_accepted_with_authorization_code() {
        fixture.givenNoPriorActivity()
                .when(generate(List.of("refresh_token", "authorization_code"), CALLBACK, null, ALICE))
                .expectEvents(generated(List.of("refresh_token", "authorization_code"), CALLBACK,
                        TokenLifetimes.defaults()));
    }

    @Test
    void authorization_code_needs_a_callback_url() {
        fixture.givenNoPriorActivity().when(generate(List.of("authorization_code"), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_CALLBACK_URL));
    }

    @Test
    void implicit_needs_a_callback_url() {
        fixture.givenNoPriorActivity().when(generate(List.of("implicit"), "  ", null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_CALLBACK_URL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/callback", "app.example.com/callback", "ftp://app.example.com/cb",
            "javascript:alert(1)", "https://app.example.com/cb#frag", "https://exa mple.com/cb", "http:///cb"})
    void a_callback_url_must_be_an_absolute_http_url_without_fragment(String url) {
        fixture.givenNoPriorActivity().when(generate(List.of("authorization_code"), url, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_CALLBACK_URL));
    }

    @Test
    void a_callback_url_given_without_a_grant_that_needs_it_is_still_checked() {
        fixture.givenNoPriorActivity().when(generate(CC, "not a url", null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_CALLBACK_URL));
    }

    @Test
    void an_http_callback_url_is_accepted() {
        fixture.givenNoPriorActivity().when(generate(List.of("implicit"), "http://localhost:8080/cb?x=1", null,
                        ALICE))
                .expectEvents(generated(List.of("implicit"), "http://localhost:8080/cb?x=1",
                        TokenLifetimes.defaults()));
    }

    // ---- token lifetimes ----

    @ParameterizedTest
    @ValueSource(longs = {-1, 0, 31_536_001})
    void each_token_lifetime_must_be_between_one_second_and_one_year(long seconds) {
        List<TokenLifetimes> invalid = List.of(new TokenLifetimes(seconds, null, null, null),
                new TokenLifetimes(null, seconds, null, null), new TokenLifetimes(null, null, seconds, null),
                new TokenLifetimes(null, null, null, seconds));
        for (TokenLifetimes lifetimes : invalid) {
            fixture.givenNoPriorActivity().when(generate(CC, null, lifetimes, ALICE))
                    .expectNoEvents().expectException(error(DomainError.INVALID_APPLICATION_PROPERTIES));
        }
    }

    @Test
    void wso2_never_expires_is_refused_with_a_message_that_says_so() {
        fixture.givenNoPriorActivity().when(generate(CC, null, new TokenLifetimes(null, -1L, null, null), ALICE))
                .expectNoEvents().expectExceptionMessage(org.hamcrest.Matchers.containsString("never expires"));
    }

    @Test
    void one_year_is_the_longest_lifetime() {
        TokenLifetimes year = new TokenLifetimes(31_536_000L, 31_536_000L, 31_536_000L, 31_536_000L);
        fixture.givenNoPriorActivity().when(generate(CC, null, year, ALICE)).expectEvents(generated(CC, null, year));
    }

    // ---- regenerating the secret ----

    @Test
    void the_owner_regenerates_the_secret_as_a_new_hash() {
        fixture.given(generated()).when(new RegenerateConsumerSecret(ID, NEW_HASH, ALICE))
                .expectEvents(new ConsumerSecretRegenerated(ID, KEY, NEW_HASH));
    }

    @Test
    void an_admin_may_regenerate_the_secret() {
        fixture.given(generated()).when(new RegenerateConsumerSecret(ID, NEW_HASH, ADMIN))
                .expectEvents(new ConsumerSecretRegenerated(ID, KEY, NEW_HASH));
    }

    @Test
    void another_user_cannot_regenerate_the_secret_and_is_told_the_mapping_does_not_exist() {
        fixture.given(generated()).when(new RegenerateConsumerSecret(ID, NEW_HASH, BOB))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_KEY_MAPPING_NOT_FOUND));
    }

    @Test
    void a_regenerated_secret_must_arrive_as_a_slow_hash() {
        fixture.given(generated()).when(new RegenerateConsumerSecret(ID, CLEAR_SECRET, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void a_regenerated_secret_must_differ_from_the_current_one() {
        fixture.given(generated()).when(new RegenerateConsumerSecret(ID, HASH, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void revoked_keys_cannot_regenerate_their_secret() {
        fixture.given(generated(), revoked()).when(new RegenerateConsumerSecret(ID, NEW_HASH, ALICE))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_KEYS_REVOKED));
    }

    // ---- updating ----

    @Test
    void the_owner_updates_grant_types_callback_and_lifetimes() {
        TokenLifetimes lifetimes = new TokenLifetimes(600L, 900L, 7200L, 300L);
        fixture.given(generated())
                .when(new UpdateApplicationKeys(ID, List.of("authorization_code", "refresh_token"), CALLBACK,
                        lifetimes, ALICE))
                .expectEvents(new ApplicationKeysUpdated(ID, KEY, List.of("refresh_token", "authorization_code"),
                        CALLBACK, lifetimes));
    }

    @Test
    void an_admin_may_update_the_keys() {
        fixture.given(generated()).when(new UpdateApplicationKeys(ID, List.of("password"), null, null, ADMIN))
                .expectEvents(new ApplicationKeysUpdated(ID, KEY, List.of("password"), null,
                        TokenLifetimes.defaults()));
    }

    @Test
    void another_user_cannot_update_and_is_told_the_mapping_does_not_exist() {
        fixture.given(generated()).when(new UpdateApplicationKeys(ID, List.of("password"), null, null, BOB))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_KEY_MAPPING_NOT_FOUND));
    }

    @Test
    void an_update_with_identical_values_writes_nothing() {
        fixture.given(generated())
                .when(new UpdateApplicationKeys(ID, CC, null, new TokenLifetimes(3600L, null, 86400L, null), ALICE))
                .expectNoEvents().expectSuccessfulHandlerExecution();
    }

    @Test
    void an_update_validates_like_a_generate() {
        fixture.given(generated()).when(new UpdateApplicationKeys(ID, List.of("refresh_token"), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
        fixture.given(generated()).when(new UpdateApplicationKeys(ID, List.of("implicit"), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_CALLBACK_URL));
        fixture.given(generated()).when(new UpdateApplicationKeys(ID, CC, null,
                        new TokenLifetimes(-1L, null, null, null), ALICE))
                .expectNoEvents().expectException(error(DomainError.INVALID_APPLICATION_PROPERTIES));
    }

    @Test
    void revoked_keys_cannot_be_updated() {
        fixture.given(generated(), revoked())
                .when(new UpdateApplicationKeys(ID, List.of("password"), null, null, ALICE))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_KEYS_REVOKED));
    }

    // ---- revoking and removing ----

    @Test
    void the_system_revokes_keys_and_the_mapping_remains() {
        fixture.given(generated()).when(new RevokeApplicationKeys(ID, "Application deleted"))
                .expectEvents(revoked());
    }

    @Test
    void revoking_revoked_keys_writes_nothing() {
        fixture.given(generated(), revoked()).when(new RevokeApplicationKeys(ID, "Application deleted"))
                .expectNoEvents().expectSuccessfulHandlerExecution();
    }

    @Test
    void the_owner_removes_the_mapping() {
        fixture.given(generated()).when(new RemoveApplicationKeys(ID, ALICE))
                .expectEvents(new ApplicationKeysRemoved(ID, KEY, APP)).expectMarkedDeleted();
    }

    @Test
    void removing_releases_the_claim_so_keys_of_that_type_can_be_generated_again() {
        registry.claim(T, APP, KeyType.PRODUCTION, ID);
        fixture.given(generated()).when(new RemoveApplicationKeys(ID, ALICE))
                .expectEvents(new ApplicationKeysRemoved(ID, KEY, APP));
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isNull();

        String again = ApplicationKeys.idOf(OTHER_MAPPING);
        fixture.givenNoPriorActivity().when(new GenerateApplicationKeys(again, OTHER_MAPPING, T, APP, "alice",
                        KeyType.PRODUCTION, KEY, HASH, CC, null, null, ALICE))
                .expectEvents(new ApplicationKeysGenerated(again, OTHER_MAPPING, T, APP, "alice", KeyType.PRODUCTION,
                        KEY, HASH, CC, null, TokenLifetimes.defaults()));
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isEqualTo(again);
    }

    @Test
    void a_refused_removal_keeps_the_claim() {
        registry.claim(T, APP, KeyType.PRODUCTION, ID);
        fixture.given(generated()).when(new RemoveApplicationKeys(ID, BOB))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_KEY_MAPPING_NOT_FOUND));
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isEqualTo(ID);
    }

    @Test
    void revoked_keys_keep_their_claim_until_removed() {
        registry.claim(T, APP, KeyType.PRODUCTION, ID);
        fixture.given(generated()).when(new RevokeApplicationKeys(ID, "Application deleted")).expectEvents(revoked());
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isEqualTo(ID);
        fixture.given(generated(), revoked()).when(new RemoveApplicationKeys(ID, ALICE))
                .expectEvents(new ApplicationKeysRemoved(ID, KEY, APP));
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isNull();
    }

    @Test
    void a_mapping_with_the_older_per_application_id_is_served_and_removed_alike() {
        registry.claim(T, APP, KeyType.PRODUCTION, LEGACY_ID);
        ApplicationKeysGenerated legacy = new ApplicationKeysGenerated(LEGACY_ID, MAPPING, T, APP, "alice",
                KeyType.PRODUCTION, KEY, HASH, CC, null, TokenLifetimes.defaults());
        fixture.given(legacy).when(new RegenerateConsumerSecret(LEGACY_ID, NEW_HASH, ALICE))
                .expectEvents(new ConsumerSecretRegenerated(LEGACY_ID, KEY, NEW_HASH));
        fixture.given(legacy).when(new RemoveApplicationKeys(LEGACY_ID, ALICE))
                .expectEvents(new ApplicationKeysRemoved(LEGACY_ID, KEY, APP)).expectMarkedDeleted();
        assertThat(registry.holder(T, APP, KeyType.PRODUCTION)).isNull();
    }

    @Test
    void revoked_keys_can_still_be_removed_by_the_owner() {
        fixture.given(generated(), revoked()).when(new RemoveApplicationKeys(ID, ADMIN))
                .expectEvents(new ApplicationKeysRemoved(ID, KEY, APP));
    }

    @Test
    void another_user_cannot_remove_and_is_told_the_mapping_does_not_exist() {
        fixture.given(generated()).when(new RemoveApplicationKeys(ID, BOB))
                .expectNoEvents().expectException(error(DomainError.APPLICATION_KEY_MAPPING_NOT_FOUND));
    }

    @Test
    void removed_keys_accept_no_further_command() {
        ApplicationKeysRemoved removed = new ApplicationKeysRemoved(ID, KEY, APP);
        List<Object> commands = List.of(new RegenerateConsumerSecret(ID, NEW_HASH, ALICE),
                new UpdateApplicationKeys(ID, List.of("password"), null, null, ALICE),
                new RevokeApplicationKeys(ID, "Application deleted"), new RemoveApplicationKeys(ID, ALICE));
        for (Object command : commands) {
            fixture.given(generated(), removed).when(command)
                    .expectNoEvents().expectException(AggregateDeletedException.class);
        }
    }

    // ---- secrets ----

    @Test
    void no_event_field_that_could_hold_a_secret_holds_anything_but_a_slow_hash() {
        Capture capture = new Capture();
        fixture.givenNoPriorActivity().when(generate(List.of("authorization_code", "refresh_token"), CALLBACK, null,
                ALICE)).expectEventsMatching(capture);
        fixture.given(generated()).when(new RegenerateConsumerSecret(ID, NEW_HASH, ALICE))
                .expectEventsMatching(capture);
        fixture.given(generated()).when(new UpdateApplicationKeys(ID, List.of("password"), null, null, ALICE))
                .expectEventsMatching(capture);
        fixture.given(generated()).when(new RevokeApplicationKeys(ID, "Application deleted"))
                .expectEventsMatching(capture);
        fixture.given(generated()).when(new RemoveApplicationKeys(ID, ALICE)).expectEventsMatching(capture);
        assertThat(capture.payloads).hasSize(5);
        int secretFields = 0;
        for (Object event : capture.payloads) {
            for (RecordComponent component : event.getClass().getRecordComponents()) {
                Object value = invoke(component, event);
                assertThat(String.valueOf(value)).doesNotContain(CLEAR_SECRET);
                if (component.getName().toLowerCase(Locale.ROOT).contains("secret")) {
                    secretFields++;
                    assertThat(component.getName()).endsWith("Hash");
                    assertThat((String) value).matches("^\\$(argon2|2[aby]\\$).*");
                }
            }
        }
        assertThat(secretFields).isEqualTo(2);
    }

    @Test
    void every_event_type_names_secret_fields_as_hashes() {
        List<Class<?>> events = List.of(ApplicationKeysGenerated.class, ConsumerSecretRegenerated.class,
                ApplicationKeysUpdated.class, ApplicationKeysRevoked.class, ApplicationKeysRemoved.class);
        for (Class<?> event : events) {
            for (RecordComponent component : event.getRecordComponents()) {
                String name = component.getName().toLowerCase(Locale.ROOT);
                if (name.contains("secret") || name.contains("password")) {
                    assertThat(component.getName()).as(event.getSimpleName()).isEqualTo("consumerSecretHash");
                }
            }
        }
    }

    private static Object invoke(RecordComponent component, Object event) {
        try {
            return component.getAccessor().invoke(event);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
