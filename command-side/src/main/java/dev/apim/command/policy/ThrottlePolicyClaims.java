package dev.apim.command.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyRegistry;
import dev.apim.eventstore.EventStoreConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;
import java.util.Optional;

/**
 * The claim table behind "a policy name is unique per tenant and level" ({@code event_store.throttle_policy_claim}).
 * Writes run inside the command's transaction, so a lost race refuses the command and rolls the claim back.
 */
public class ThrottlePolicyClaims implements ThrottlePolicyRegistry {

    static final String TABLE = EventStoreConfiguration.SCHEMA + ".throttle_policy_claim";

    /** A claimed policy as the table holds it. */
    public record Claim(String tenant, Level level, String name, String policyId) {}

    private final JdbcTemplate jdbc;

    public ThrottlePolicyClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void claim(String tenant, Level level, String name, String policyId, boolean requiresApproval) {
        int inserted = jdbc.update("INSERT INTO " + TABLE + " (tenant, policy_level, name_key, name, policy_id, "
                        + "requires_approval) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                tenant, level.name(), key(name), name, policyId, requiresApproval);
        if (inserted == 0) {
            throw DomainException.of(DomainError.POLICY_ALREADY_EXISTS,
                    "A %s policy named '%s' already exists", level.name().toLowerCase(Locale.ROOT), name);
        }
    }

    @Override
    public void updateApproval(String tenant, Level level, String name, String policyId, boolean requiresApproval) {
        jdbc.update("UPDATE " + TABLE + " SET requires_approval = ? WHERE policy_id = ?", requiresApproval, policyId);
    }

    @Override
    public void release(String tenant, Level level, String name, String policyId) {
        jdbc.update("DELETE FROM " + TABLE + " WHERE policy_id = ?", policyId);
    }

    public Optional<Claim> byId(String policyId) {
        return jdbc.query("SELECT tenant, policy_level, name, policy_id FROM " + TABLE + " WHERE policy_id = ?",
                (rs, i) -> new Claim(rs.getString(1), Level.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4)), policyId).stream().findFirst();
    }

    public boolean exists(String tenant, Level level, String name) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM " + TABLE
                + " WHERE tenant = ? AND policy_level = ? AND name_key = ?", Integer.class, tenant, level.name(), key(name));
        return n != null && n > 0;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
