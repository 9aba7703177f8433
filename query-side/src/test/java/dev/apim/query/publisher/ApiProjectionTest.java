package dev.apim.query.publisher;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiDocument;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.LifecycleAction;
import dev.apim.domain.api.RevisionDeployment;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import dev.apim.domain.api.event.ApiDocumentAdded;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiRevisionCreated;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiUpdated;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.testsupport.TestServices;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The apimgtdb projection on real PostgreSQL: correct rows, and applying any event again changes nothing. */
class ApiProjectionTest {

    private static JdbcTemplate jdbc;
    private static ApiProjection projection;

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("projection"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new ApiProjection(jdbc, new ObjectMapper().findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    @Test
    void every_event_applied_twice_leaves_the_same_read_model() {
        String apiId = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        ApiDefinition v1 = definition(apiId, "First");
        ApiDefinition v2 = definition(apiId, "Second");
        var lifecycle = GenericEventMessage.asEventMessage(new ApiLifecycleChanged(apiId, ApiLifecycleState.CREATED,
                ApiLifecycleState.PUBLISHED, LifecycleAction.PUBLISH)).andMetaData(MetaData.with("principal", "alice"));
        var document = GenericEventMessage.asEventMessage(new ApiDocumentAdded(apiId, "doc-" + apiId,
                new ApiDocument("Guide", "HOWTO", "s", "INLINE", null, "API_LEVEL", null), "# hi"))
                .andMetaData(MetaData.with("principal", "alice"));

        Runnable all = () -> {
            projection.on(new ApiCreated(apiId, "carbon.super", v1, null), 0, t0);
            projection.on(new ApiUpdated(apiId, v2, null), 1, t0.plusSeconds(1));
            projection.on(new ApiRevisionCreated(apiId, "rev-" + apiId, 1, "r", v2, null), 2, t0.plusSeconds(2));
            projection.on(new ApiRevisionDeployed(apiId, "rev-" + apiId, 1,
                    List.of(new RevisionDeployment("Default", "localhost", true))), 3, t0.plusSeconds(3));
            projection.on((ApiLifecycleChanged) lifecycle.getPayload(), lifecycle, 4, t0.plusSeconds(4));
            projection.on((ApiDocumentAdded) document.getPayload(), document, 5, t0.plusSeconds(5));
        };
        all.run();
        List<Map<String, Object>> once = snapshot(apiId);
        all.run();
        assertThat(snapshot(apiId)).isEqualTo(once);

        Map<String, Object> api = jdbc.queryForMap("SELECT name, lifecycle_status, aggregate_version FROM apimgtdb.api "
                + "WHERE api_id = ?", apiId);
        assertThat(api).containsEntry("name", v2.name()).containsEntry("lifecycle_status", "PUBLISHED")
                .containsEntry("aggregate_version", 5L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.api_lifecycle_history WHERE api_id = ?",
                Integer.class, apiId)).isEqualTo(1);

        projection.on(new ApiDeleted(apiId, "carbon.super", v2.context(), v2.version()));
        projection.on(new ApiDeleted(apiId, "carbon.super", v2.context(), v2.version()));
        assertThat(snapshot(apiId)).allSatisfy(table -> assertThat(table.get("n")).isEqualTo(0L));
    }

    @Test
    void an_older_update_redelivered_after_a_newer_one_does_not_win() {
        String apiId = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        projection.on(new ApiCreated(apiId, "carbon.super", definition(apiId, "A"), null), 0, t0);
        projection.on(new ApiUpdated(apiId, definition(apiId, "C"), null), 2, t0);
        projection.on(new ApiUpdated(apiId, definition(apiId, "B"), null), 1, t0);
        assertThat(jdbc.queryForObject("SELECT name FROM apimgtdb.api WHERE api_id = ?", String.class, apiId))
                .isEqualTo(definition(apiId, "C").name());
    }

    private static List<Map<String, Object>> snapshot(String apiId) {
        return jdbc.queryForList("""
                SELECT 'api' AS t, count(*) AS n, max(md5(a::text)) AS h FROM apimgtdb.api a WHERE api_id = ?
                UNION ALL SELECT 'op', count(*), max(md5(o::text)) FROM apimgtdb.api_operation o WHERE api_id = ?
                UNION ALL SELECT 'rev', count(*), max(md5(r::text)) FROM apimgtdb.api_revision r WHERE api_id = ?
                UNION ALL SELECT 'dep', count(*), max(md5(d::text)) FROM apimgtdb.api_deployment d WHERE api_id = ?
                UNION ALL SELECT 'hist', count(*), max(md5(h::text)) FROM apimgtdb.api_lifecycle_history h WHERE api_id = ?
                UNION ALL SELECT 'doc', count(*), max(md5(x::text)) FROM apimgtdb.api_document x WHERE api_id = ?
                ORDER BY 1""", apiId, apiId, apiId, apiId, apiId, apiId);
    }

    private static ApiDefinition definition(String apiId, String name) {
        return new ApiDefinition(name + apiId.substring(0, 8), "d", "/p" + apiId.substring(0, 8), "1.0.0", "alice",
                null, null, null, List.of("Gold"), null, null, null, null, null, false,
                new ApiEndpoints("http", "http://backend.test/", null),
                List.of(new ApiOperation("/items", "GET", null, null, List.of())), List.of(), Map.of(), Map.of())
                .validated();
    }
}
