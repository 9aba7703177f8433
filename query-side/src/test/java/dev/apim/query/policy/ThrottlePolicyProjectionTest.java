package dev.apim.query.policy;

import dev.apim.domain.policy.ThrottleLimit;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.domain.policy.event.ThrottlePolicyCreated;
import dev.apim.domain.policy.event.ThrottlePolicyDeleted;
import dev.apim.domain.policy.event.ThrottlePolicyUpdated;
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

/** The throttle policy projection on real PostgreSQL: correct rows, and applying any event again changes nothing. */
class ThrottlePolicyProjectionTest {

    private static JdbcTemplate jdbc;
    private static ThrottlePolicyProjection projection;

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("policy_projection"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new ThrottlePolicyProjection(jdbc, PolicyQueryConfiguration.policyJson());
    }

    private static ThrottlePolicyDefinition definition(String name, long count, boolean approval) {
        return new ThrottlePolicyDefinition(name, name, "d", ThrottleLimit.requests(count, 1, "min"), 0, null, false,
                "FREE", List.of(), approval, List.of()).validated(Level.SUBSCRIPTION);
    }

    @Test
    void every_event_applied_twice_leaves_the_same_read_model() {
        String id = UUID.randomUUID().toString();
        String name = "P" + id.substring(0, 8);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        var created = GenericEventMessage.asEventMessage(new ThrottlePolicyCreated(id, "carbon.super",
                Level.SUBSCRIPTION, definition(name, 10, false))).andMetaData(MetaData.with("principal", "system"));
        Runnable all = () -> {
            projection.on((ThrottlePolicyCreated) created.getPayload(), created, 0, t0);
            projection.on(new ThrottlePolicyUpdated(id, "carbon.super", Level.SUBSCRIPTION, definition(name, 20, true)),
                    1, t0.plusSeconds(1));
        };
        all.run();
        Map<String, Object> once = row(id);
        all.run();
        assertThat(row(id)).isEqualTo(once);
        assertThat(once).containsEntry("requires_approval", true).containsEntry("aggregate_version", 1L)
                .containsEntry("created_by", "system");
        assertThat(jdbc.queryForObject("SELECT definition->'defaultLimit'->'requestCount'->>'requestCount' FROM "
                + "apimgtdb.throttle_policy WHERE policy_id = ?", String.class, id)).isEqualTo("20");

        projection.on(new ThrottlePolicyDeleted(id, "carbon.super", Level.SUBSCRIPTION, name));
        projection.on(new ThrottlePolicyDeleted(id, "carbon.super", Level.SUBSCRIPTION, name));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.throttle_policy WHERE policy_id = ?",
                Integer.class, id)).isZero();
    }

    @Test
    void an_older_update_redelivered_after_a_newer_one_does_not_win() {
        String id = UUID.randomUUID().toString();
        String name = "Q" + id.substring(0, 8);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        var created = GenericEventMessage.asEventMessage(new ThrottlePolicyCreated(id, "carbon.super",
                Level.SUBSCRIPTION, definition(name, 10, false)));
        projection.on((ThrottlePolicyCreated) created.getPayload(), created, 0, t0);
        projection.on(new ThrottlePolicyUpdated(id, "carbon.super", Level.SUBSCRIPTION, definition(name, 30, false)), 2, t0);
        projection.on(new ThrottlePolicyUpdated(id, "carbon.super", Level.SUBSCRIPTION, definition(name, 20, false)), 1, t0);
        assertThat(jdbc.queryForObject("SELECT definition->'defaultLimit'->'requestCount'->>'requestCount' FROM "
                + "apimgtdb.throttle_policy WHERE policy_id = ?", String.class, id)).isEqualTo("30");
    }

    private static Map<String, Object> row(String id) {
        return jdbc.queryForMap("SELECT *, md5(definition::text) AS h FROM apimgtdb.throttle_policy "
                + "WHERE policy_id = ?", id);
    }
}
