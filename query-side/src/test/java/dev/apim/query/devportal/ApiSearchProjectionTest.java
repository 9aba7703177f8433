package dev.apim.query.devportal;

import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.LifecycleAction;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiUpdated;
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

/** The portal search projection on real PostgreSQL: rows, full-text document, and idempotency. */
class ApiSearchProjectionTest {

    private static JdbcTemplate jdbc;
    private static ApiSearchProjection projection;

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("searchprojection"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new ApiSearchProjection(jdbc);
    }

    private static ApiDefinition definition(String apiId, String name, String description, String visibility,
                                            List<String> roles) {
        return new ApiDefinition(name + apiId.substring(0, 8), description, "/p" + apiId.substring(0, 8), "1.0.0",
                "alice", null, null, List.of("Weather", "maps"), List.of("Gold"), null, null, null, visibility, roles,
                false, new ApiEndpoints("http", "http://backend.test/", null),
                List.of(new ApiOperation("/items", "GET", null, null, List.of())), List.of(), Map.of(), Map.of())
                .validated();
    }

    private static List<Map<String, Object>> snapshot(String apiId) {
        return jdbc.queryForList("SELECT md5(s::text) AS h FROM shareddb.api_search s WHERE api_id = ?", apiId);
    }

    private static boolean matches(String apiId, String tsQuery) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT search_document @@ to_tsquery('simple', ?) "
                + "FROM shareddb.api_search WHERE api_id = ?", Boolean.class, tsQuery, apiId));
    }

    @Test
    void every_event_applied_twice_leaves_the_same_row() {
        String apiId = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Runnable all = () -> {
            projection.on(new ApiCreated(apiId, "carbon.super", definition(apiId, "Forecast", "Rain radar", null,
                    List.of()), null), 0, t0);
            projection.on(new ApiUpdated(apiId, definition(apiId, "Forecast", "Storm tracking", "RESTRICTED",
                    List.of("Creator")), null), 1, t0.plusSeconds(1));
            projection.on(new ApiLifecycleChanged(apiId, ApiLifecycleState.CREATED, ApiLifecycleState.PUBLISHED,
                    LifecycleAction.PUBLISH), 2, t0.plusSeconds(2));
        };
        all.run();
        List<Map<String, Object>> once = snapshot(apiId);
        all.run();
        assertThat(snapshot(apiId)).isEqualTo(once).hasSize(1);

        Map<String, Object> row = jdbc.queryForMap("SELECT lifecycle_status, visibility, array_to_string(visible_roles, ',') "
                + "AS roles, array_to_string(tags, ',') AS tags, aggregate_version FROM shareddb.api_search "
                + "WHERE api_id = ?", apiId);
        assertThat(row).containsEntry("lifecycle_status", "PUBLISHED").containsEntry("visibility", "RESTRICTED")
                .containsEntry("roles", "creator").containsEntry("tags", "Weather,maps")
                .containsEntry("aggregate_version", 2L);
        assertThat(matches(apiId, "storm:*")).isTrue();
        assertThat(matches(apiId, "weather")).isTrue();
        assertThat(matches(apiId, "forecast:*")).isTrue();
        assertThat(matches(apiId, ApiSearchReadModel.tsQuery("p" + apiId.substring(0, 8)))).isTrue();
        assertThat(matches(apiId, "radar")).as("the description was replaced").isFalse();
    }

    @Test
    void an_older_update_is_ignored_and_deletion_is_repeatable() {
        String apiId = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        projection.on(new ApiCreated(apiId, "carbon.super", definition(apiId, "A", "first", null, List.of()), null), 0, t0);
        projection.on(new ApiUpdated(apiId, definition(apiId, "A", "third", null, List.of()), null), 2, t0);
        projection.on(new ApiUpdated(apiId, definition(apiId, "A", "second", null, List.of()), null), 1, t0);
        assertThat(jdbc.queryForObject("SELECT description FROM shareddb.api_search WHERE api_id = ?", String.class,
                apiId)).isEqualTo("third");
        projection.on(new ApiDeleted(apiId, "carbon.super", "/p" + apiId.substring(0, 8), "1.0.0"));
        projection.on(new ApiDeleted(apiId, "carbon.super", "/p" + apiId.substring(0, 8), "1.0.0"));
        assertThat(snapshot(apiId)).isEmpty();
    }

    @Test
    void free_text_becomes_a_safe_prefix_query() {
        assertThat(ApiSearchReadModel.tsQuery("Pizza shack")).isEqualTo("pizza:* & shack:*");
        assertThat(ApiSearchReadModel.tsQuery("a'b & !c | (d)")).isEqualTo("a:* & b:* & c:* & d:*");
        assertThat(ApiSearchReadModel.tsQuery("&&&")).isNull();
        assertThat(ApiSearchReadModel.tsQuery(null)).isNull();
    }
}
