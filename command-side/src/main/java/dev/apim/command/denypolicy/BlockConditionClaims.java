package dev.apim.command.denypolicy;

import dev.apim.domain.blockcondition.BlockConditionRegistry;
import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.eventstore.EventStoreConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The constraint table behind "one deny policy per tenant, type and value", written inside the command's
 * transaction (the one that appends the events).
 */
public class BlockConditionClaims implements BlockConditionRegistry {

    private static final String TABLE = EventStoreConfiguration.SCHEMA + ".block_condition_claim";

    private final JdbcTemplate jdbc;

    public BlockConditionClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void claim(String tenant, BlockConditionType type, String valueKey, String conditionId) {
        int inserted = jdbc.update("INSERT INTO " + TABLE + " (tenant, condition_type, value_key, condition_id) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (tenant, condition_type, value_key) DO NOTHING",
                tenant, type.name(), valueKey, conditionId);
        if (inserted == 0) {
            throw DomainException.of(DomainError.BLOCK_CONDITION_ALREADY_EXISTS,
                    "A %s block condition with this value already exists", type);
        }
    }

    @Override
    public void release(String tenant, BlockConditionType type, String valueKey, String conditionId) {
        jdbc.update("DELETE FROM " + TABLE + " WHERE tenant = ? AND condition_type = ? AND value_key = ? "
                + "AND condition_id = ?", tenant, type.name(), valueKey, conditionId);
    }
}
