package dev.apim.query.application;

import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.application.event.ApplicationDeleted;
import dev.apim.domain.application.event.ApplicationUpdated;
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

/** The application projection on real PostgreSQL: correct rows, and applying any event again changes nothing. */
class ApplicationProjectionTest {

    private static JdbcTemplate jdbc;
    private static ApplicationProjection projection;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("app_projection"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new ApplicationProjection(jdbc, ApplicationQueryConfiguration.json());
    }

    private static ApplicationCreated created(String id) {
        return new ApplicationCreated(id, "carbon.super", "alice", "MyApp", "first", "10PerMin", "JWT",
                Map.of("team", "blue"), List.of("g1"));
    }

    private static ApplicationUpdated updated(String id) {
        return new ApplicationUpdated(id, "carbon.super", "alice", "Renamed", "second", "50PerMin", "JWT",
                Map.of("team", "red", "tier", "gold"), List.of("g1", "g2"));
    }

    private static Map<String, Object> row(String id) {
        return jdbc.queryForMap("SELECT owner, name, throttling_policy, description, token_type, attributes::text AS a, "
                + "array_to_string(groups, ',') AS g, aggregate_version, created_time, updated_time "
                + "FROM apimgtdb.application WHERE application_id = ?", id);
    }

    @Test
    void every_event_applied_twice_leaves_the_same_read_model() {
        String id = UUID.randomUUID().toString();
        Runnable all = () -> {
            projection.on(created(id), 0, T0);
            projection.on(updated(id), 1, T0.plusSeconds(1));
        };
        all.run();
        Map<String, Object> once = row(id);
        all.run();
        assertThat(row(id)).isEqualTo(once);
        assertThat(once).containsEntry("name", "Renamed").containsEntry("throttling_policy", "50PerMin")
                .containsEntry("owner", "alice").containsEntry("g", "g1,g2").containsEntry("aggregate_version", 1L);
        assertThat((String) once.get("a")).contains("\"tier\": \"gold\"");

        projection.on(new ApplicationDeleted(id, "carbon.super", "alice", "Renamed"));
        projection.on(new ApplicationDeleted(id, "carbon.super", "alice", "Renamed"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.application WHERE application_id = ?",
                Long.class, id)).isZero();
    }

    @Test
    void an_older_update_redelivered_after_a_newer_one_does_not_win() {
        String id = UUID.randomUUID().toString();
        projection.on(created(id), 0, T0);
        projection.on(updated(id), 2, T0.plusSeconds(2));
        projection.on(new ApplicationUpdated(id, "carbon.super", "alice", "Older", null, "10PerMin", "JWT", Map.of(),
                List.of()), 1, T0.plusSeconds(1));
        assertThat(row(id)).containsEntry("name", "Renamed").containsEntry("aggregate_version", 2L);
    }
}
