package dev.apim.query.keys;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.ApplicationKeysUpdated;
import dev.apim.domain.keys.event.ConsumerSecretRegenerated;
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

/** The key mapping projection on real PostgreSQL: correct rows, no secret, and applying any event again changes nothing. */
class ApplicationKeysProjectionTest {

    private static JdbcTemplate jdbc;
    private static ApplicationKeysProjection projection;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("keys_projection"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new ApplicationKeysProjection(jdbc);
    }

    private static ApplicationKeysGenerated generated(String app) {
        return new ApplicationKeysGenerated("keys:" + app + ":PRODUCTION", UUID.randomUUID().toString(),
                "carbon.super", app, "alice", KeyType.PRODUCTION, "ck" + app.replace("-", ""),
                "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$aGFzaA", List.of("client_credentials"), null,
                TokenLifetimes.defaults());
    }

    private static ApplicationKeysUpdated updated(String app, long accessSeconds) {
        return new ApplicationKeysUpdated("keys:" + app + ":PRODUCTION", "ck" + app.replace("-", ""),
                List.of("authorization_code", "refresh_token"), "https://app.example.com/cb",
                new TokenLifetimes(accessSeconds, 3600L, 86400L, 3600L));
    }

    private static Map<String, Object> row(String app) {
        return jdbc.queryForMap("SELECT key_mapping_id, consumer_key, array_to_string(grant_types, ',') AS g, "
                + "callback_url, application_access_token_seconds, state, aggregate_version, created_time, "
                + "updated_time FROM apimgtdb.application_keys WHERE keys_id = ?", "keys:" + app + ":PRODUCTION");
    }

    @Test
    void every_event_applied_twice_leaves_the_same_read_model() {
        String app = UUID.randomUUID().toString();
        String keysId = "keys:" + app + ":PRODUCTION";
        ApplicationKeysGenerated generated = generated(app);
        Runnable all = () -> {
            projection.on(generated, 0, T0);
            projection.on(updated(app, 7200), 1, T0.plusSeconds(1));
            projection.on(new ConsumerSecretRegenerated(keysId, generated.consumerKey(),
                    "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$bmV3"), 2, T0.plusSeconds(2));
            projection.on(new ApplicationKeysRevoked(keysId, generated.consumerKey(), app, "gone"), 3,
                    T0.plusSeconds(3));
        };
        all.run();
        Map<String, Object> once = row(app);
        all.run();
        assertThat(row(app)).isEqualTo(once);
        assertThat(once).containsEntry("g", "authorization_code,refresh_token")
                .containsEntry("callback_url", "https://app.example.com/cb")
                .containsEntry("application_access_token_seconds", 7200L).containsEntry("state", "REVOKED")
                .containsEntry("aggregate_version", 3L);
        assertThat(jdbc.queryForObject("SELECT row_to_json(k)::text FROM apimgtdb.application_keys k "
                + "WHERE keys_id = ?", String.class, keysId)).doesNotContain("$argon2");

        projection.on(new ApplicationKeysRemoved(keysId, generated.consumerKey(), app));
        projection.on(new ApplicationKeysRemoved(keysId, generated.consumerKey(), app));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.application_keys WHERE keys_id = ?",
                Long.class, keysId)).isZero();
    }

    @Test
    void an_older_update_redelivered_after_a_newer_one_does_not_win() {
        String app = UUID.randomUUID().toString();
        projection.on(generated(app), 0, T0);
        projection.on(updated(app, 7200), 2, T0.plusSeconds(2));
        projection.on(updated(app, 60), 1, T0.plusSeconds(1));
        assertThat(row(app)).containsEntry("application_access_token_seconds", 7200L)
                .containsEntry("aggregate_version", 2L);
    }
}
