package dev.apim.command.policy;

import dev.apim.domain.policy.ThrottlePolicyCatalog;
import dev.apim.eventstore.EventStoreConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;
import java.util.Optional;

/** Answers {@link ThrottlePolicyCatalog} from the policy claim table (inside the caller's transaction). */
public class JdbcThrottlePolicyCatalog implements ThrottlePolicyCatalog {

    private final JdbcTemplate jdbc;

    public JdbcThrottlePolicyCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<PolicyRef> find(String tenant, Level level, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return jdbc.query("SELECT policy_id, name, requires_approval FROM " + EventStoreConfiguration.SCHEMA
                        + ".throttle_policy_claim WHERE tenant = ? AND policy_level = ? AND name_key = ?",
                (rs, i) -> new PolicyRef(rs.getString(1), rs.getString(2), rs.getBoolean(3)),
                tenant, level.name(), name.toLowerCase(Locale.ROOT)).stream().findFirst();
    }
}
