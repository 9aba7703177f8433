package dev.apim.command.oauth.keys;

import dev.apim.domain.keys.KeyType;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.jwt.AuthorizedUserType;
import dev.apim.platform.jwt.InvalidTokenException;
import dev.apim.platform.jwt.IssuedToken;
import dev.apim.platform.jwt.KeyEncryption;
import dev.apim.platform.jwt.SigningKey;
import dev.apim.platform.jwt.TokenRequest;
import dev.apim.platform.jwt.VerifiedToken;
import dev.apim.testsupport.ManualClock;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Key Manager's signing keys against a real PostgreSQL: they survive restarts, rotate on a driven clock,
 * are created once when nodes race, travel between nodes, refuse a wrong master key and are stored sealed.
 */
class SigningKeysTest {

    private static final String ISSUER = "https://km.test.example:9443/oauth2/token";
    private static final String MASTER = "test-master-key-0123456789";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final KeyManagerProperties SETTINGS = new KeyManagerProperties(null, null,
            Duration.ofDays(10), Duration.ofDays(1), Duration.ofDays(1), Duration.ofSeconds(30));

    private static DataSource dataSource;
    private static JdbcTemplate jdbc;

    private final List<SigningKeys> started = new ArrayList<>();

    /** A clock the test moves by hand. */
    @BeforeAll
    static void database() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestServices.freshDatabase("signing_keys"));
        SchemaMigrations.migrate(ds);
        dataSource = ds;
        jdbc = new JdbcTemplate(ds);
    }

    @BeforeEach
    void emptyTable() {
        jdbc.update("DELETE FROM keymanager.signing_key");
    }

    @AfterEach
    void stopNodes() {
        started.forEach(SigningKeys::stop);
    }

    private static SigningKeys node(Clock clock) {
        return node(clock, MASTER, SETTINGS);
    }

    private static SigningKeys node(Clock clock, String master, KeyManagerProperties settings) {
        return new SigningKeys(dataSource, ISSUER, new KeyEncryption(master), settings, clock);
    }

    private static TokenRequest request(Duration lifetime) {
        return new TokenRequest("alice", "ck-1", "ck-1", List.of("default"), KeyType.PRODUCTION,
                AuthorizedUserType.APPLICATION_USER, new ApplicationClaim("1", "app-1", "App", "Unlimited", "alice"),
                lifetime);
    }

    private static String activeKid(SigningKeys keys) {
        return keys.publishedKeys().stream().filter(k -> k.state() == SigningKey.State.ACTIVE)
                .map(SigningKey::kid).findFirst().orElseThrow();
    }

    private static List<String> kids(SigningKeys keys) {
        return keys.publishedKeys().stream().map(SigningKey::kid).toList();
    }

    private static List<String> jwksKids(SigningKeys keys) {
        return keys.jwks().keys().stream().map(k -> k.get("kid")).toList();
    }

    private static long stored(String state) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM keymanager.signing_key WHERE state = ?", Long.class, state);
        return n == null ? 0 : n;
    }

    @Test
    void a_first_start_stores_one_active_and_one_next_key() {
        SigningKeys keys = node(new ManualClock(T0));
        keys.synchronize();

        assertThat(stored("ACTIVE")).isEqualTo(1);
        assertThat(stored("NEXT")).isEqualTo(1);
        assertThat(jwksKids(keys)).hasSize(2).containsAll(kids(keys));
        IssuedToken token = keys.issue(request(Duration.ofHours(1)));
        assertThat(token.keyId()).isEqualTo(activeKid(keys));
    }

    @Test
    void keys_survive_a_restart_and_the_restarted_node_verifies_tokens_signed_before() {
        ManualClock clock = new ManualClock(T0);
        SigningKeys first = node(clock);
        first.synchronize();
        IssuedToken token = first.issue(request(Duration.ofHours(1)));

        SigningKeys restarted = node(clock);
        restarted.synchronize();

        assertThat(activeKid(restarted)).isEqualTo(token.keyId());
        assertThat(kids(restarted)).containsExactlyInAnyOrderElementsOf(kids(first));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM keymanager.signing_key", Long.class)).isEqualTo(2);
        VerifiedToken verified = restarted.verifier().build().verify(token.token());
        assertThat(verified.keyId()).isEqualTo(token.keyId());
        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(restarted.issue(request(Duration.ofMinutes(5))).keyId()).isEqualTo(token.keyId());
    }

    @Test
    void rotation_publishes_the_next_key_before_it_signs_and_keeps_the_old_one_until_its_last_token_expired() {
        ManualClock clock = new ManualClock(T0);
        SigningKeys keys = node(clock);
        keys.synchronize();
        String first = activeKid(keys);
        String next = keys.publishedKeys().stream().filter(k -> k.state() == SigningKey.State.NEXT)
                .map(SigningKey::kid).findFirst().orElseThrow();
        assertThat(jwksKids(keys)).as("NEXT is in the JWKS before it signs").contains(next);

        // Just before the rotation is due: still the first key, and a token that outlives the rotation.
        clock.set(T0.plus(Duration.ofDays(10)).minus(Duration.ofHours(1)));
        keys.synchronize();
        IssuedToken old = keys.issue(request(Duration.ofDays(1)));
        assertThat(old.keyId()).isEqualTo(first);

        // Rotation due: the waiting key signs, the first one retires but stays published.
        clock.set(T0.plus(Duration.ofDays(10)));
        keys.synchronize();
        assertThat(activeKid(keys)).isEqualTo(next);
        assertThat(keys.issue(request(Duration.ofHours(1))).keyId()).isEqualTo(next);
        assertThat(stored("RETIRING")).isEqualTo(1);
        assertThat(stored("ACTIVE")).isEqualTo(1);
        assertThat(stored("NEXT")).isEqualTo(1);
        assertThat(jwksKids(keys)).hasSize(3).contains(first, next);
        clock.set(T0.plus(Duration.ofDays(10)).plus(Duration.ofHours(12)));
        keys.synchronize();
        assertThat(keys.verifier().build().verify(old.token()).keyId()).isEqualTo(first);

        // max-token-lifetime after it stopped signing, every token it signed has expired: it leaves the JWKS.
        clock.set(T0.plus(Duration.ofDays(11)));
        keys.synchronize();
        assertThat(jwksKids(keys)).doesNotContain(first).hasSize(2);
        assertThat(stored("RETIRED")).isEqualTo(1);
        assertThatThrownBy(() -> keys.verifier().build().verify(old.token()))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void the_signing_path_rotates_when_due_even_before_the_periodic_run() {
        ManualClock clock = new ManualClock(T0);
        SigningKeys keys = node(clock);
        keys.synchronize();
        String first = activeKid(keys);

        clock.set(T0.plus(Duration.ofDays(10)).plusSeconds(5));
        IssuedToken token = keys.issue(request(Duration.ofHours(1)));

        assertThat(token.keyId()).isNotEqualTo(first);
        assertThat(stored("RETIRING")).isEqualTo(1);
    }

    @Test
    void lifetimes_above_the_maximum_are_capped() {
        SigningKeys keys = node(new ManualClock(T0));
        keys.synchronize();

        IssuedToken token = keys.issue(request(Duration.ofDays(5)));

        assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofDays(1));
        assertThat(Duration.between(token.issuedAt(), keys.issue(request(Duration.ofHours(2))).expiresAt()))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void two_nodes_starting_at_once_on_an_empty_database_create_exactly_one_active_key() throws Exception {
        ManualClock clock = new ManualClock(T0);
        SigningKeys a = node(clock);
        SigningKeys b = node(clock);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> fa = pool.submit(() -> {
                go.await();
                a.synchronize();
                return null;
            });
            Future<?> fb = pool.submit(() -> {
                go.await();
                b.synchronize();
                return null;
            });
            go.countDown();
            fa.get(60, TimeUnit.SECONDS);
            fb.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(stored("ACTIVE")).isEqualTo(1);
        assertThat(stored("NEXT")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM keymanager.signing_key", Long.class)).isEqualTo(2);
        assertThat(activeKid(a)).isEqualTo(activeKid(b));
        IssuedToken fromA = a.issue(request(Duration.ofHours(1)));
        assertThat(b.verifier().build().verify(fromA.token()).keyId()).isEqualTo(fromA.keyId());
    }

    @Test
    void a_second_node_picks_up_a_rotation_done_by_the_first_on_its_periodic_refresh() {
        ManualClock clockA = new ManualClock(T0);
        SigningKeys a = node(clockA);
        a.synchronize();
        // Node B's clock lags, so any change it sees was made by A.
        KeyManagerProperties fastRefresh = new KeyManagerProperties(null, null, Duration.ofDays(10),
                Duration.ofDays(1), Duration.ofDays(1), Duration.ofMillis(200));
        SigningKeys b = node(new ManualClock(T0.plus(Duration.ofHours(1))), MASTER, fastRefresh);
        b.start();
        started.add(b);
        String before = activeKid(b);

        clockA.set(T0.plus(Duration.ofDays(10)));
        a.synchronize();
        String rotated = activeKid(a);
        assertThat(rotated).isNotEqualTo(before);

        await().atMost(Duration.ofSeconds(20)).until(() -> activeKid(b).equals(rotated));
        assertThat(b.issue(request(Duration.ofHours(1))).keyId()).isEqualTo(rotated);
        assertThat(jwksKids(b)).containsExactlyInAnyOrderElementsOf(jwksKids(a));
    }

    @Test
    void a_token_signed_with_a_key_this_node_has_not_loaded_yet_is_verified_after_a_reload() {
        ManualClock clock = new ManualClock(T0);
        SigningKeys a = node(clock);
        a.synchronize();
        SigningKeys b = node(clock);
        b.synchronize();
        // A rotates twice while B does not refresh: the key A signs with then was created after B's last read.
        clock.set(T0.plus(Duration.ofDays(10)));
        a.synchronize();
        clock.set(T0.plus(Duration.ofDays(20)));
        a.synchronize();
        IssuedToken token = a.issue(request(Duration.ofHours(1)));
        assertThat(kids(b)).doesNotContain(token.keyId());

        assertThat(b.verifier().build().verify(token.token()).keyId()).isEqualTo(token.keyId());
        assertThat(kids(b)).contains(token.keyId());
    }

    @Test
    void a_wrong_master_key_refuses_to_start_and_creates_no_keys() {
        ManualClock clock = new ManualClock(T0);
        node(clock).synchronize();
        List<Map<String, Object>> before = jdbc.queryForList("SELECT * FROM keymanager.signing_key ORDER BY kid");

        SigningKeys wrong = node(clock, "another-master-key-9876543210", SETTINGS);

        assertThatThrownBy(wrong::synchronize)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apim.keymanager.master-key cannot open the stored signing key")
                .hasMessageContaining("no new keys are created");
        assertThat(jdbc.queryForList("SELECT * FROM keymanager.signing_key ORDER BY kid")).isEqualTo(before);
        assertThatThrownBy(wrong::publishedKeys).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void the_stored_row_holds_the_public_key_and_only_a_sealed_private_key() {
        SigningKeys keys = node(new ManualClock(T0));
        keys.synchronize();
        SigningKey active = keys.publishedKeys().stream().filter(k -> k.state() == SigningKey.State.ACTIVE)
                .findFirst().orElseThrow();
        // Only the node holds private keys in memory; the test reads them back through a restart.
        SigningKeys reader = node(new ManualClock(T0));
        reader.synchronize();

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM keymanager.signing_key WHERE kid = ?", active.kid());
        String rowText = row.values().toString();
        byte[] pkcs8 = reader.publishedKeys().stream().filter(k -> k.kid().equals(active.kid())).findFirst()
                .orElseThrow().privateKey().getEncoded();
        assertThat(rowText)
                .doesNotContain(Base64.getEncoder().encodeToString(pkcs8))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(pkcs8))
                .doesNotContain(Base64.getEncoder().encodeToString(pkcs8).substring(40, 120))
                .doesNotContain(active.privateKey().getPrivateExponent().toString(16))
                .doesNotContain(active.privateKey().getPrivateExponent().toString());
        assertThat((String) row.get("encrypted_private_key")).startsWith("v1$");
        assertThat((String) row.get("public_key"))
                .isEqualTo(Base64.getEncoder().encodeToString(active.publicKey().getEncoded()));
    }
}
