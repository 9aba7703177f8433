package dev.apim.query.oauth;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.OAuthClient;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.domain.keys.TokenRevocations;
import dev.apim.domain.keys.event.AccessTokenRevoked;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.ApplicationKeysUpdated;
import dev.apim.domain.keys.event.ConsumerSecretRegenerated;
import dev.apim.domain.keys.event.OAuthClientDeleted;
import dev.apim.domain.keys.event.OAuthClientRegistered;
import dev.apim.domain.keys.event.OAuthClientSecretRotated;
import dev.apim.domain.keys.event.OAuthClientUpdated;
import dev.apim.domain.keys.event.TokensRevokedIssuedBefore;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth client projection on real PostgreSQL: one row per consumer key from both the key mapping and the DCR
 * client events, the secret hash kept current, revocations recorded, and every event applied again (in any
 * redelivery) changes nothing.
 */
class OAuthClientProjectionTest {

    private static final String T = "carbon.super";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String HASH = "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$aGFzaA";
    private static final String NEW_HASH = "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$bmV3";
    private static JdbcTemplate jdbc;
    private static OAuthClientProjection projection;

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("oauth_projection"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new OAuthClientProjection(jdbc);
    }

    private static String key() {
        return "ck" + UUID.randomUUID().toString().replace("-", "");
    }

    private static Map<String, Object> row(String consumerKey) {
        return jdbc.queryForMap("SELECT consumer_key, secret_hash, aggregate_id, kind, tenant, owner, client_name, "
                + "key_type, array_to_string(grant_types, ',') AS g, callback_url, application_access_token_seconds, "
                + "user_access_token_seconds, refresh_token_seconds, id_token_seconds, active, tokens_revoked_before, "
                + "application_id, aggregate_version, created_time, updated_time "
                + "FROM apimgtdb.oauth_client WHERE consumer_key = ?", consumerKey);
    }

    private static List<Map<String, Object>> revoked(String consumerKey) {
        return jdbc.queryForList("SELECT * FROM apimgtdb.revoked_token WHERE consumer_key = ? ORDER BY jti",
                consumerKey);
    }

    @Test
    void every_key_mapping_event_applied_twice_leaves_the_same_row() {
        String app = UUID.randomUUID().toString();
        String keysId = "keys:" + app + ":SANDBOX";
        String ck = key();
        Runnable all = () -> {
            projection.on(new ApplicationKeysGenerated(keysId, UUID.randomUUID().toString(), T, app, "alice",
                    KeyType.SANDBOX, ck, HASH, List.of("client_credentials"), null, TokenLifetimes.defaults()), 0, T0);
            projection.on(new ApplicationKeysUpdated(keysId, ck, List.of("password", "refresh_token"),
                    "https://app.example.com/cb", new TokenLifetimes(600L, 700L, 800L, 900L)), 1, T0.plusSeconds(1));
            projection.on(new ConsumerSecretRegenerated(keysId, ck, NEW_HASH), 2, T0.plusSeconds(2));
        };
        all.run();
        Map<String, Object> once = row(ck);
        all.run();
        assertThat(row(ck)).isEqualTo(once);
        assertThat(once).containsEntry("kind", "APPLICATION").containsEntry("secret_hash", NEW_HASH)
                .containsEntry("aggregate_id", keysId).containsEntry("owner", "alice")
                .containsEntry("key_type", "SANDBOX").containsEntry("g", "password,refresh_token")
                .containsEntry("callback_url", "https://app.example.com/cb")
                .containsEntry("application_access_token_seconds", 600L).containsEntry("id_token_seconds", 900L)
                .containsEntry("active", true).containsEntry("application_id", app)
                .containsEntry("aggregate_version", 2L);
        assertThat(once.get("client_name")).isNull();

        projection.on(new ApplicationKeysRevoked(keysId, ck, app, "application deleted"), 3, T0.plusSeconds(3));
        projection.on(new ApplicationKeysRevoked(keysId, ck, app, "application deleted"), 3, T0.plusSeconds(3));
        assertThat(row(ck)).containsEntry("active", false).containsEntry("aggregate_version", 3L);
    }

    @Test
    void removed_keys_stay_as_an_inactive_client_so_their_tokens_are_known_dead() {
        String app = UUID.randomUUID().toString();
        String keysId = "keys:" + app + ":PRODUCTION";
        String ck = key();
        projection.on(new ApplicationKeysGenerated(keysId, UUID.randomUUID().toString(), T, app, "alice",
                KeyType.PRODUCTION, ck, HASH, List.of("client_credentials"), null, TokenLifetimes.defaults()), 0, T0);
        projection.on(new ApplicationKeysRemoved(keysId, ck, app), 1, T0.plusSeconds(1));
        projection.on(new ApplicationKeysRemoved(keysId, ck, app), 1, T0.plusSeconds(1));
        assertThat(row(ck)).containsEntry("active", false).containsEntry("aggregate_version", 1L);
    }

    @Test
    void every_dcr_client_event_applied_twice_leaves_the_same_rows_and_a_re_registration_gets_its_own_row() {
        String name = "apictl_" + UUID.randomUUID().toString().substring(0, 8);
        String id = OAuthClient.idOf(T, "admin", name);
        String first = key();
        String second = key();
        List<String> grants = List.of("client_credentials", "password", "refresh_token");
        Runnable all = () -> {
            projection.on(new OAuthClientRegistered(id, T, "admin", name, first, HASH, grants, null, false,
                    TokenLifetimes.defaults()), 0, T0);
            projection.on(new OAuthClientSecretRotated(id, T, first, NEW_HASH), 1, T0.plusSeconds(1));
            projection.on(new OAuthClientUpdated(id, T, first, List.of("client_credentials"),
                    "https://ui.example.com/cb", true), 2, T0.plusSeconds(2));
            projection.on(new OAuthClientDeleted(id, T, first), 3, T0.plusSeconds(3));
            projection.on(new OAuthClientRegistered(id, T, "admin", name, second, HASH, grants, null, false,
                    TokenLifetimes.defaults()), 4, T0.plusSeconds(4));
        };
        all.run();
        Map<String, Object> firstOnce = row(first);
        Map<String, Object> secondOnce = row(second);
        all.run();
        assertThat(row(first)).isEqualTo(firstOnce);
        assertThat(row(second)).isEqualTo(secondOnce);

        assertThat(firstOnce).containsEntry("kind", "MANAGEMENT").containsEntry("client_name", name)
                .containsEntry("key_type", "PRODUCTION").containsEntry("secret_hash", NEW_HASH)
                .containsEntry("g", "client_credentials").containsEntry("callback_url", "https://ui.example.com/cb")
                .containsEntry("active", false).containsEntry("aggregate_version", 3L)
                .containsEntry("application_access_token_seconds", 3600L);
        assertThat(firstOnce.get("application_id")).isNull();
        assertThat(secondOnce).containsEntry("aggregate_id", id).containsEntry("secret_hash", HASH)
                .containsEntry("active", true).containsEntry("aggregate_version", 4L)
                .containsEntry("g", "client_credentials,password,refresh_token");
    }

    @Test
    void an_older_change_redelivered_after_a_newer_one_does_not_win() {
        String name = "ui_" + UUID.randomUUID().toString().substring(0, 8);
        String id = OAuthClient.idOf(T, "admin", name);
        String ck = key();
        projection.on(new OAuthClientRegistered(id, T, "admin", name, ck, HASH, List.of("password"), null, false,
                TokenLifetimes.defaults()), 0, T0);
        projection.on(new OAuthClientSecretRotated(id, T, ck, NEW_HASH), 2, T0.plusSeconds(2));
        projection.on(new OAuthClientSecretRotated(id, T, ck, HASH), 1, T0.plusSeconds(1));
        assertThat(row(ck)).containsEntry("secret_hash", NEW_HASH).containsEntry("aggregate_version", 2L);
    }

    @Test
    void the_issued_before_cut_off_only_moves_forward_and_holds_whichever_event_comes_first() {
        String name = "cut_" + UUID.randomUUID().toString().substring(0, 8);
        String id = OAuthClient.idOf(T, "admin", name);
        String ck = key();
        String revocations = TokenRevocations.idOf(ck);
        Instant cut = T0.plusSeconds(100);
        // the cut-off arrives before the client row (another segment of the projection ran ahead)
        projection.on(new TokensRevokedIssuedBefore(revocations, T, ck, cut, "rotated"), T0.plusSeconds(100));
        projection.on(new OAuthClientRegistered(id, T, "admin", name, ck, HASH, List.of("password"), null, false,
                TokenLifetimes.defaults()), 0, T0);
        assertThat(((java.sql.Timestamp) row(ck).get("tokens_revoked_before")).toInstant()).isEqualTo(cut);

        projection.on(new TokensRevokedIssuedBefore(revocations, T, ck, cut.plusSeconds(50), null), T0);
        projection.on(new TokensRevokedIssuedBefore(revocations, T, ck, cut, null), T0);
        projection.on(new TokensRevokedIssuedBefore(revocations, T, ck, cut.plusSeconds(50), null), T0);
        assertThat(((java.sql.Timestamp) row(ck).get("tokens_revoked_before")).toInstant())
                .isEqualTo(cut.plusSeconds(50));
        assertThat(jdbc.queryForObject("SELECT issued_before FROM apimgtdb.token_revocation_cutoff "
                + "WHERE consumer_key = ?", java.sql.Timestamp.class, ck).toInstant()).isEqualTo(cut.plusSeconds(50));
    }

    @Test
    void a_revoked_token_is_recorded_once() {
        String ck = key();
        String revocations = TokenRevocations.idOf(ck);
        Instant exp = T0.plusSeconds(3600);
        AccessTokenRevoked event = new AccessTokenRevoked(revocations, T, ck, "jti-" + ck, exp, "logout");
        projection.on(event, T0);
        List<Map<String, Object>> once = revoked(ck);
        projection.on(event, T0.plusSeconds(5));
        assertThat(revoked(ck)).isEqualTo(once).hasSize(1);
        assertThat(once.get(0)).containsEntry("jti", "jti-" + ck).containsEntry("tenant", T)
                .containsEntry("expires_at", java.sql.Timestamp.from(exp))
                .containsEntry("revoked_at", java.sql.Timestamp.from(T0));
    }
}
