package dev.apim.query.denypolicy;

import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;
import dev.apim.domain.blockcondition.event.BlockConditionCreated;
import dev.apim.domain.blockcondition.event.BlockConditionDeleted;
import dev.apim.domain.blockcondition.event.BlockConditionStatusChanged;
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

/** The deny policy projection on real PostgreSQL: correct rows, and applying any event again changes nothing. */
class BlockConditionProjectionTest {

    private static JdbcTemplate jdbc;
    private static BlockConditionProjection projection;

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("denyprojection"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new BlockConditionProjection(jdbc);
    }

    private List<Map<String, Object>> rows(String id) {
        return jdbc.queryForList("SELECT condition_type, fixed_ip, starting_ip, ending_ip, invert, enabled, "
                + "aggregate_version FROM apimgtdb.block_condition WHERE condition_id = ?", id);
    }

    @Test
    void every_event_applied_twice_leaves_the_same_read_model() {
        String id = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        BlockConditionValue range = BlockConditionValue.ipRange("10.0.0.1", "10.0.0.9", true);
        Runnable all = () -> {
            projection.on(new BlockConditionCreated(id, "carbon.super", BlockConditionType.IPRANGE, range, true), 0, t0);
            projection.on(new BlockConditionStatusChanged(id, "carbon.super", BlockConditionType.IPRANGE, range, false),
                    1, t0.plusSeconds(1));
        };
        all.run();
        List<Map<String, Object>> once = rows(id);
        all.run();
        assertThat(rows(id)).isEqualTo(once);
        assertThat(once).hasSize(1);
        assertThat(once.get(0)).containsEntry("starting_ip", "10.0.0.1").containsEntry("ending_ip", "10.0.0.9")
                .containsEntry("invert", true).containsEntry("enabled", false).containsEntry("aggregate_version", 1L);
    }

    @Test
    void a_status_change_older_than_the_row_is_ignored() {
        String id = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        BlockConditionValue user = BlockConditionValue.of("bob");
        projection.on(new BlockConditionCreated(id, "carbon.super", BlockConditionType.USER, user, true), 0, t0);
        projection.on(new BlockConditionStatusChanged(id, "carbon.super", BlockConditionType.USER, user, false), 1, t0);
        projection.on(new BlockConditionStatusChanged(id, "carbon.super", BlockConditionType.USER, user, true), 2, t0);
        projection.on(new BlockConditionStatusChanged(id, "carbon.super", BlockConditionType.USER, user, false), 1, t0);
        assertThat(rows(id).get(0)).containsEntry("enabled", true).containsEntry("aggregate_version", 2L);
    }

    @Test
    void deletion_removes_the_row_and_is_repeatable() {
        String id = UUID.randomUUID().toString();
        BlockConditionValue ip = BlockConditionValue.ip("::1", false);
        projection.on(new BlockConditionCreated(id, "carbon.super", BlockConditionType.IP, ip, true), 0, Instant.now());
        projection.on(new BlockConditionDeleted(id, "carbon.super", BlockConditionType.IP, ip));
        projection.on(new BlockConditionDeleted(id, "carbon.super", BlockConditionType.IP, ip));
        assertThat(rows(id)).isEmpty();
    }
}
