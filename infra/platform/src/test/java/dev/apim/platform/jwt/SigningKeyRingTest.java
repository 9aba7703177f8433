package dev.apim.platform.jwt;

import dev.apim.domain.keys.KeyType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apim.platform.jwt.InvalidTokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningKeyRingTest {

    static final String ISS = "https://km.apim.test/oauth2/token";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration PERIOD = Duration.ofDays(30);
    static final Duration PRE_PUBLISH = Duration.ofDays(1);
    static final Duration MAX_LIFETIME = Duration.ofHours(2);

    final JwtTestClock clock = new JwtTestClock(T0);
    final SigningKeyRing ring = new SigningKeyRing(PERIOD, PRE_PUBLISH, MAX_LIFETIME);

    static List<String> kids(List<SigningKey> keys) {
        return keys.stream().map(SigningKey::kid).toList();
    }

    static TokenRequest request(Duration lifetime) {
        return new TokenRequest("u", "ck", "ck", List.of("default"), KeyType.PRODUCTION,
                AuthorizedUserType.APPLICATION, new ApplicationClaim("1", "uuid", "app", "Unlimited", "u"), lifetime);
    }

    JwtVerifier verifier() {
        return JwtVerifier.builder(ISS, KeyResolver.of(ring::publishedKeys)).clock(clock).build();
    }

    @Test
    void emptyRingGetsOneActiveAndOneNextKey() {
        assertThat(ring.ensureKeys(T0)).isTrue();
        assertThat(ring.keys()).extracting(SigningKey::state)
                .containsExactlyInAnyOrder(SigningKey.State.ACTIVE, SigningKey.State.NEXT);
        assertThat(ring.signingKey().state()).isEqualTo(SigningKey.State.ACTIVE);
        assertThat(ring.publishedKeys()).hasSize(2);
        assertThat(ring.ensureKeys(T0.plusSeconds(5))).isFalse();
    }

    @Test
    void nextKeyIsPublishedBeforeItSignsAndNotPromotedEarly() {
        ring.ensureKeys(T0);
        SigningKey next = ring.keys().stream().filter(k -> k.state() == SigningKey.State.NEXT).findFirst()
                .orElseThrow();
        assertThat(kids(ring.publishedKeys())).contains(next.kid());
        assertThat(ring.signingKey().kid()).isNotEqualTo(next.kid());

        assertThatThrownBy(() -> ring.rotate(T0.plus(PRE_PUBLISH).minusSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
        ring.rotate(T0.plus(PRE_PUBLISH));
        assertThat(ring.signingKey().kid()).isEqualTo(next.kid());
        assertThat(ring.signingKey().activatedAt()).isAfterOrEqualTo(next.createdAt().plus(PRE_PUBLISH));
    }

    @Test
    void rotateIfDueRotatesOnlyAfterThePeriod() {
        ring.ensureKeys(T0);
        String first = ring.signingKey().kid();
        assertThat(ring.rotateIfDue(T0.plus(PERIOD).minusSeconds(1))).isFalse();
        assertThat(ring.signingKey().kid()).isEqualTo(first);
        assertThat(ring.rotateIfDue(T0.plus(PERIOD))).isTrue();
        assertThat(ring.signingKey().kid()).isNotEqualTo(first);
        assertThat(ring.keys()).filteredOn(k -> k.kid().equals(first)).singleElement()
                .extracting(SigningKey::state).isEqualTo(SigningKey.State.RETIRING);
    }

    @Test
    void rotationTimelineKeepsOldTokensVerifiableUntilTheyCanNoLongerBeLive() {
        ring.ensureKeys(T0);
        JwtIssuer issuer = new JwtIssuer(ISS, ring::signingKey, clock);
        SigningKey old = ring.signingKey();

        // The last token the old key signs, just before rotation, with the longest lifetime.
        Instant rotation = T0.plus(PERIOD);
        clock.set(rotation.minusSeconds(1));
        String lastOldToken = issuer.issue(request(MAX_LIFETIME)).token();
        clock.set(rotation);
        assertThat(ring.rotateIfDue(rotation)).isTrue();

        // RETIRING: not signing any more, still published, its tokens verify.
        assertThat(ring.signingKey().kid()).isNotEqualTo(old.kid());
        assertThat(kids(ring.publishedKeys())).contains(old.kid()).hasSize(3);
        String newToken = issuer.issue(request(Duration.ofMinutes(5))).token();
        assertThat(verifier().verify(newToken).keyId()).isEqualTo(ring.signingKey().kid());
        assertThat(verifier().verify(lastOldToken).keyId()).isEqualTo(old.kid());

        // Still published right up to deactivation + max lifetime.
        Instant unpublish = rotation.plus(MAX_LIFETIME);
        assertThat(ring.unpublishAt(ring.keys().stream().filter(k -> k.kid().equals(old.kid())).findFirst()
                .orElseThrow())).isEqualTo(unpublish);
        ring.rotateIfDue(unpublish.minusSeconds(1));
        assertThat(kids(ring.publishedKeys())).contains(old.kid());

        // RETIRED: gone from JWKS; any token it signed is no longer accepted.
        ring.rotateIfDue(unpublish);
        assertThat(ring.keys()).filteredOn(k -> k.kid().equals(old.kid())).singleElement()
                .satisfies(k -> {
                    assertThat(k.state()).isEqualTo(SigningKey.State.RETIRED);
                    assertThat(k.retiredAt()).isEqualTo(unpublish);
                });
        assertThat(kids(ring.publishedKeys())).doesNotContain(old.kid()).hasSize(2);
        clock.set(unpublish.minusSeconds(60));
        assertThatThrownBy(() -> verifier().verify(lastOldToken))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    @Test
    void keysSurviveARestartThroughSealedStorage() {
        ring.ensureKeys(T0);
        ring.rotate(T0.plus(PERIOD));
        KeyEncryption enc = new KeyEncryption("a-master-secret-of-enough-length");
        List<SealedSigningKey> stored = ring.keys().stream().map(k -> SealedSigningKey.seal(k, enc)).toList();

        SigningKeyRing restored = new SigningKeyRing(PERIOD, PRE_PUBLISH, MAX_LIFETIME,
                stored.stream().map(s -> s.unseal(enc)).toList(), SigningKey::generate);
        assertThat(restored.ensureKeys(T0.plus(PERIOD).plusSeconds(1))).isFalse();
        assertThat(restored.signingKey().kid()).isEqualTo(ring.signingKey().kid());
        assertThat(restored.signingKey().privateKey().getEncoded())
                .isEqualTo(ring.signingKey().privateKey().getEncoded());
        assertThat(kids(restored.publishedKeys())).isEqualTo(kids(ring.publishedKeys()));

        assertThatThrownBy(() -> stored.get(0).unseal(new KeyEncryption("another-master-secret-0000")))
                .isInstanceOf(KeyEncryptionException.class);
    }

    @Test
    void prePublishLongerThanTheRotationPeriodIsRefused() {
        assertThatThrownBy(() -> new SigningKeyRing(Duration.ofDays(1), Duration.ofDays(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
