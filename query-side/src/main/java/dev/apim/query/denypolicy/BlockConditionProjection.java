package dev.apim.query.denypolicy;

import dev.apim.domain.blockcondition.BlockConditionValue;
import dev.apim.domain.blockcondition.event.BlockConditionCreated;
import dev.apim.domain.blockcondition.event.BlockConditionDeleted;
import dev.apim.domain.blockcondition.event.BlockConditionStatusChanged;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

/** Projects deny policies into {@code apimgtdb.block_condition}; upserts and version-guarded updates only. */
@ProcessingGroup("apimgtdb")
public class BlockConditionProjection {

    private final JdbcTemplate jdbc;

    public BlockConditionProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(BlockConditionCreated e, @SequenceNumber long seq, @Timestamp Instant at) {
        BlockConditionValue v = e.conditionValue();
        jdbc.update("""
                INSERT INTO apimgtdb.block_condition (condition_id, tenant, condition_type, condition_value, fixed_ip,
                    starting_ip, ending_ip, invert, enabled, aggregate_version, created_time, updated_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (condition_id) DO NOTHING""",
                e.conditionId(), e.tenant(), e.conditionType().name(), v.value(), v.fixedIp(), v.startingIp(),
                v.endingIp(), v.invert(), e.enabled(), seq, java.sql.Timestamp.from(at), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(BlockConditionStatusChanged e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("UPDATE apimgtdb.block_condition SET enabled = ?, aggregate_version = ?, updated_time = ? "
                        + "WHERE condition_id = ? AND aggregate_version < ?",
                e.enabled(), seq, java.sql.Timestamp.from(at), e.conditionId(), seq);
    }

    @EventHandler
    void on(BlockConditionDeleted e) {
        jdbc.update("DELETE FROM apimgtdb.block_condition WHERE condition_id = ?", e.conditionId());
    }
}
