package dev.apim.domain.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.keys.command.RevokeAccessToken;
import dev.apim.domain.keys.command.RevokeTokensIssuedBefore;
import dev.apim.domain.keys.event.AccessTokenRevoked;
import dev.apim.domain.keys.event.TokensRevokedIssuedBefore;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TokenRevocationsTest {

    private static final String T = "carbon.super";
    private static final String KEY = "aB3dE5gH7jK9mN1pQ3sT";
    private static final String ID = TokenRevocations.idOf(KEY);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant IN_AN_HOUR = NOW.plus(Duration.ofHours(1));

    private AggregateTestFixture<TokenRevocations> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(TokenRevocations.class);
    }

    private static RevokeAccessToken revoke(String jti, Instant expiresAt) {
        return new RevokeAccessToken(ID, T, KEY, jti, expiresAt, "logout");
    }

    private static AccessTokenRevoked revoked(String jti, Instant expiresAt) {
        return new AccessTokenRevoked(ID, T, KEY, jti, expiresAt, "logout");
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

    @Test
    void revocations_are_one_per_consumer_key() {
        assertThat(TokenRevocations.idOf(KEY)).isEqualTo("revocations:" + KEY);
    }

    // ---- single tokens ----

    @Test
    void the_first_revocation_of_a_client_starts_its_revocations() {
        fixture.givenCurrentTime(NOW).when(revoke("jti-1", IN_AN_HOUR))
                .expectEvents(revoked("jti-1", IN_AN_HOUR));
    }

    @Test
    void revoking_a_token_already_revoked_writes_nothing() {
        fixture.givenCurrentTime(NOW).andGiven(revoked("jti-1", IN_AN_HOUR)).when(revoke("jti-1", IN_AN_HOUR))
                .expectNoEvents().expectSuccessfulHandlerExecution();
    }

    @Test
    void another_token_of_the_same_client_is_revoked_too() {
        fixture.givenCurrentTime(NOW).andGiven(revoked("jti-1", IN_AN_HOUR)).when(revoke("jti-2", IN_AN_HOUR))
                .expectEvents(revoked("jti-2", IN_AN_HOUR));
    }

    @Test
    void revoking_a_token_that_has_already_expired_writes_nothing() {
        fixture.givenCurrentTime(NOW).when(revoke("jti-1", NOW.minusSeconds(1))).expectNoEvents();
        fixture.givenCurrentTime(NOW).when(revoke("jti-1", NOW)).expectNoEvents();
    }

    @Test
    void revoked_tokens_are_forgotten_once_they_expired() {
        Instant soon = NOW.plusSeconds(60);
        fixture.givenCurrentTime(NOW).andGiven(revoked("jti-1", soon))
                .andGivenCurrentTime(NOW.plus(Duration.ofHours(2))).when(revoke("jti-2", NOW.plus(Duration.ofHours(3))))
                .expectEvents(revoked("jti-2", NOW.plus(Duration.ofHours(3))))
                .expectState(state -> assertThat(state.rememberedJtis()).containsExactly("jti-2"));
    }

    @Test
    void a_token_cannot_expire_later_than_the_longest_token_lifetime_allows() {
        Instant tooLate = NOW.plusSeconds(TokenLifetimes.MAX_SECONDS).plus(TokenRevocations.CLOCK_SKEW).plusSeconds(1);
        fixture.givenCurrentTime(NOW).when(revoke("jti-1", tooLate))
                .expectNoEvents().expectException(error(DomainError.INVALID_TOKEN_REVOCATION));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "tab\tjti", "ünïcode"})
    void a_jti_must_be_visible_ascii(String jti) {
        fixture.givenCurrentTime(NOW).when(revoke(jti, IN_AN_HOUR))
                .expectNoEvents().expectException(error(DomainError.INVALID_TOKEN_REVOCATION));
    }

    @Test
    void jti_and_expiry_are_required() {
        fixture.givenCurrentTime(NOW).when(revoke(null, IN_AN_HOUR))
                .expectNoEvents().expectException(error(DomainError.INVALID_TOKEN_REVOCATION));
        fixture.givenCurrentTime(NOW).when(revoke("jti-1", null))
                .expectNoEvents().expectException(error(DomainError.INVALID_TOKEN_REVOCATION));
    }

    @Test
    void the_revocations_id_must_be_derived_from_the_consumer_key() {
        fixture.givenCurrentTime(NOW).when(new RevokeAccessToken(TokenRevocations.idOf("zZ3dE5gH7jK9mN1pQ3sT"), T, KEY,
                        "jti-1", IN_AN_HOUR, null))
                .expectNoEvents().expectException(error(DomainError.INVALID_INPUT));
    }

    @Test
    void a_client_of_one_tenant_is_not_revoked_from_another() {
        fixture.givenCurrentTime(NOW).andGiven(revoked("jti-1", IN_AN_HOUR))
                .when(new RevokeAccessToken(ID, "wso2.com", KEY, "jti-2", IN_AN_HOUR, null))
                .expectNoEvents().expectException(error(DomainError.INVALID_TOKEN_REVOCATION));
    }

    @Test
    void a_blank_reason_is_recorded_as_none() {
        fixture.givenCurrentTime(NOW).when(new RevokeAccessToken(ID, T, KEY, "jti-1", IN_AN_HOUR, "  "))
                .expectEvents(new AccessTokenRevoked(ID, T, KEY, "jti-1", IN_AN_HOUR, null));
    }

    // ---- issued before ----

    @Test
    void a_first_cut_off_revokes_every_token_issued_before_it() {
        fixture.givenCurrentTime(NOW).when(new RevokeTokensIssuedBefore(ID, T, KEY, NOW, "secret rotated"))
                .expectEvents(new TokensRevokedIssuedBefore(ID, T, KEY, NOW, "secret rotated"));
    }

    @Test
    void a_cut_off_not_later_than_the_current_one_writes_nothing() {
        fixture.givenCurrentTime(NOW).andGiven(new TokensRevokedIssuedBefore(ID, T, KEY, NOW, null))
                .when(new RevokeTokensIssuedBefore(ID, T, KEY, NOW, null)).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(new TokensRevokedIssuedBefore(ID, T, KEY, NOW, null))
                .when(new RevokeTokensIssuedBefore(ID, T, KEY, NOW.minusSeconds(60), null)).expectNoEvents();
    }

    @Test
    void a_later_cut_off_moves_it_forward() {
        fixture.givenCurrentTime(NOW).andGiven(new TokensRevokedIssuedBefore(ID, T, KEY, NOW.minusSeconds(60), null))
                .when(new RevokeTokensIssuedBefore(ID, T, KEY, NOW, null))
                .expectEvents(new TokensRevokedIssuedBefore(ID, T, KEY, NOW, null));
    }

    @Test
    void a_cut_off_in_the_future_beyond_the_clock_skew_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(new RevokeTokensIssuedBefore(ID, T, KEY, NOW.plus(TokenRevocations.CLOCK_SKEW).plusSeconds(1),
                        null))
                .expectNoEvents().expectException(error(DomainError.INVALID_TOKEN_REVOCATION));
        fixture.givenCurrentTime(NOW).when(new RevokeTokensIssuedBefore(ID, T, KEY, null, null))
                .expectNoEvents().expectException(error(DomainError.INVALID_TOKEN_REVOCATION));
    }
}
