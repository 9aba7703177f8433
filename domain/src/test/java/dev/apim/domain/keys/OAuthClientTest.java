package dev.apim.domain.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.command.DeleteOAuthClient;
import dev.apim.domain.keys.command.RegisterOAuthClient;
import dev.apim.domain.keys.event.OAuthClientDeleted;
import dev.apim.domain.keys.event.OAuthClientRegistered;
import dev.apim.domain.keys.event.OAuthClientSecretRotated;
import dev.apim.domain.keys.event.OAuthClientUpdated;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OAuthClientTest {

    private static final String T = "carbon.super";
    private static final String NAME = "rest_api_publisher";
    private static final String ID = OAuthClient.idOf(T, "admin", NAME);
    private static final String KEY = "dcrKey0000000000000001";
    private static final String NEW_KEY = "dcrKey0000000000000002";
    private static final String HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    private static final String NEW_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$bmV3bmV3bmV3bmV3";
    private static final List<String> GRANTS = List.of("client_credentials", "password", "refresh_token");
    private static final Requester ADMIN = new Requester("admin", true);
    private static final Requester OWNER = new Requester("admin", false);
    private static final Requester BOB = new Requester("bob", false);

    private AggregateTestFixture<OAuthClient> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(OAuthClient.class);
    }

    private static RegisterOAuthClient register(String key, String hash, List<String> grants, String callback) {
        return new RegisterOAuthClient(ID, T, "admin", NAME, key, hash, grants, callback, false, OWNER);
    }

    private static RegisterOAuthClient register() {
        return register(KEY, HASH, GRANTS, null);
    }

    private static RegisterOAuthClient named(String name) {
        return new RegisterOAuthClient(OAuthClient.idOf(T, "admin", name), T, "admin", name, KEY, HASH, GRANTS, null,
                false, OWNER);
    }

    private static OAuthClientRegistered registered() {
        return new OAuthClientRegistered(ID, T, "admin", NAME, KEY, HASH, GRANTS, null, false,
                TokenLifetimes.defaults());
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

    // ---- ids ----

    @Test
    void the_id_is_derived_from_tenant_owner_and_name_so_a_registration_again_reaches_the_same_client() {
        assertThat(OAuthClient.idOf(T, "admin", NAME)).isEqualTo(ID).startsWith("oauthclient:");
        assertThat(OAuthClient.idOf(T, "admin", "other")).isNotEqualTo(ID);
        assertThat(OAuthClient.idOf(T, "alice", NAME)).isNotEqualTo(ID);
        assertThat(OAuthClient.idOf("wso2.com", "admin", NAME)).isNotEqualTo(ID);
        // no ambiguity from where one part ends and the next begins
        assertThat(OAuthClient.idOf("a", "bc", "d")).isNotEqualTo(OAuthClient.idOf("ab", "c", "d"));
    }

    // ---- registering ----

    @Test
    void a_new_client_is_registered_with_its_secret_only_as_a_hash_and_answers_its_consumer_key() {
        fixture.givenNoPriorActivity().when(register())
                .expectEvents(registered())
                .expectResultMessagePayload(KEY);
    }

    @Test
    void registering_an_active_client_again_rotates_its_secret_and_keeps_its_consumer_key() {
        fixture.given(registered()).when(register(NEW_KEY, NEW_HASH, GRANTS, null))
                .expectEvents(new OAuthClientSecretRotated(ID, T, KEY, NEW_HASH))
                .expectResultMessagePayload(KEY);
    }

    @Test
    void registering_again_with_other_grant_types_or_callback_also_updates_the_client() {
        List<String> code = List.of("refresh_token", "authorization_code"); // GrantTypes.SUPPORTED order
        fixture.given(registered()).when(register(NEW_KEY, NEW_HASH, code, "https://ui.example.com/cb"))
                .expectEvents(new OAuthClientSecretRotated(ID, T, KEY, NEW_HASH),
                        new OAuthClientUpdated(ID, T, KEY, code, "https://ui.example.com/cb", false))
                .expectResultMessagePayload(KEY);
    }

    @Test
    void the_same_registration_repeated_writes_nothing_and_answers_the_same_key() {
        fixture.given(registered()).when(register(NEW_KEY, HASH, GRANTS, null))
                .expectNoEvents().expectResultMessagePayload(KEY);
    }

    @Test
    void a_deleted_client_registers_afresh_with_the_new_consumer_key() {
        fixture.given(registered(), new OAuthClientDeleted(ID, T, KEY)).when(register(NEW_KEY, NEW_HASH, GRANTS, null))
                .expectEvents(new OAuthClientRegistered(ID, T, "admin", NAME, NEW_KEY, NEW_HASH, GRANTS, null, false,
                        TokenLifetimes.defaults()))
                .expectResultMessagePayload(NEW_KEY);
    }

    @Test
    void a_deleted_clients_consumer_key_is_not_given_out_again() {
        fixture.given(registered(), new OAuthClientDeleted(ID, T, KEY)).when(register(KEY, NEW_HASH, GRANTS, null))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "rest api", "a/b", "a:b", "näme", "x<script>",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijX"})
    void a_client_name_outside_1_to_70_letters_digits_underscore_dot_and_dash_is_refused(String name) {
        fixture.givenNoPriorActivity().when(named(name))
                .expectNoEvents().expectException(error(DomainError.INVALID_OAUTH_CLIENT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "apictl_admin.v2-1",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"})
    void client_names_of_letters_digits_underscore_dot_and_dash_up_to_70_are_accepted(String name) {
        fixture.givenNoPriorActivity().when(named(name)).expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(KEY);
    }

    @Test
    void a_missing_client_name_is_refused() {
        fixture.givenNoPriorActivity().when(new RegisterOAuthClient(ID, T, "admin", null, KEY, HASH, GRANTS, null,
                false, OWNER)).expectNoEvents().expectException(error(DomainError.INVALID_OAUTH_CLIENT));
    }

    @Test
    void the_owner_is_required() {
        fixture.givenNoPriorActivity().when(new RegisterOAuthClient(ID, T, " ", NAME, KEY, HASH, GRANTS, null,
                false, ADMIN)).expectNoEvents().expectException(error(DomainError.INVALID_OAUTH_CLIENT));
    }

    @Test
    void the_client_id_must_be_derived_from_tenant_owner_and_name() {
        fixture.givenNoPriorActivity().when(new RegisterOAuthClient(OAuthClient.idOf(T, "admin", "other"), T, "admin",
                NAME, KEY, HASH, GRANTS, null, false, OWNER))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void grant_types_must_be_a_non_empty_subset_of_the_supported_ones() {
        fixture.givenNoPriorActivity().when(register(KEY, HASH, List.of(), null))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
        fixture.givenNoPriorActivity().when(register(KEY, HASH, List.of("client_credentials", "magic"), null))
                .expectNoEvents().expectException(error(DomainError.INVALID_GRANT_TYPES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://ui.example.com/cb", "not a url", "/relative/cb", "https://ui.example.com/cb#x"})
    void the_callback_url_must_be_an_absolute_http_or_https_url(String callback) {
        fixture.givenNoPriorActivity().when(register(KEY, HASH, GRANTS, callback))
                .expectNoEvents().expectException(error(DomainError.INVALID_CALLBACK_URL));
    }

    @Test
    void a_clear_secret_is_never_accepted() {
        fixture.givenNoPriorActivity().when(register(KEY, "clear-secret-value", GRANTS, null))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void a_malformed_consumer_key_is_refused() {
        fixture.givenNoPriorActivity().when(register("short", HASH, GRANTS, null))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void another_user_may_not_register_a_client_for_the_owner() {
        fixture.givenNoPriorActivity().when(new RegisterOAuthClient(ID, T, "admin", NAME, KEY, HASH, GRANTS, null,
                false, BOB)).expectNoEvents().expectException(error(DomainError.OAUTH_CLIENT_ACCESS_DENIED));
        fixture.given(registered()).when(new RegisterOAuthClient(ID, T, "admin", NAME, NEW_KEY, NEW_HASH, GRANTS,
                null, false, BOB)).expectNoEvents().expectException(error(DomainError.OAUTH_CLIENT_ACCESS_DENIED));
    }

    @Test
    void an_administrator_may_register_a_client_for_another_owner() {
        fixture.givenNoPriorActivity().when(new RegisterOAuthClient(OAuthClient.idOf(T, "alice", NAME), T, "alice",
                NAME, KEY, HASH, GRANTS, null, true, ADMIN))
                .expectEvents(new OAuthClientRegistered(OAuthClient.idOf(T, "alice", NAME), T, "alice", NAME, KEY,
                        HASH, GRANTS, null, true, TokenLifetimes.defaults()));
    }

    // ---- deleting ----

    @Test
    void the_owner_deletes_a_client() {
        fixture.given(registered()).when(new DeleteOAuthClient(ID, OWNER))
                .expectEvents(new OAuthClientDeleted(ID, T, KEY)).expectNotMarkedDeleted();
    }

    @Test
    void a_deleted_client_cannot_be_deleted_again() {
        fixture.given(registered(), new OAuthClientDeleted(ID, T, KEY)).when(new DeleteOAuthClient(ID, OWNER))
                .expectNoEvents().expectException(error(DomainError.OAUTH_CLIENT_NOT_FOUND));
    }

    @Test
    void to_another_user_the_client_does_not_exist() {
        fixture.given(registered()).when(new DeleteOAuthClient(ID, BOB))
                .expectNoEvents().expectException(error(DomainError.OAUTH_CLIENT_NOT_FOUND));
    }
}
