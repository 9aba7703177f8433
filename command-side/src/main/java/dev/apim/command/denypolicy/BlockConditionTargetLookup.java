package dev.apim.command.denypolicy;

import dev.apim.domain.blockcondition.BlockConditionTargets;
import dev.apim.eventstore.EventStoreConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;

/**
 * Answers {@link BlockConditionTargets} from the command side's claim tables, consistent with the event store:
 * {@code api_context_claim} for APIs, {@code application_name_claim} for applications when that table exists
 * (on a deployment without it, applications are checked by format only).
 */
public class BlockConditionTargetLookup implements BlockConditionTargets {

    private static final String APIS = EventStoreConfiguration.SCHEMA + ".api_context_claim";
    private static final String APPLICATIONS = EventStoreConfiguration.SCHEMA + ".application_name_claim";

    private final JdbcTemplate jdbc;

    public BlockConditionTargetLookup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean apiContextExists(String tenant, String context) {
        String key = context.toLowerCase(Locale.ROOT);
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + APIS + " WHERE tenant = ? "
                        + "AND (context_key = ? OR context_key || '/' || lower(version) = ? "
                        + "OR replace(context_key, '{version}', lower(version)) = ?))",
                Boolean.class, tenant, key, key, key));
    }

    @Override
    public Lookup application(String tenant, String owner, String name) {
        Boolean tableExists = jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, APPLICATIONS);
        if (!Boolean.TRUE.equals(tableExists)) {
            return Lookup.UNKNOWN;
        }
        Boolean found = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + APPLICATIONS + " WHERE tenant = ? "
                        + "AND lower(owner) = ? AND name_key = ?)", Boolean.class,
                tenant, owner.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
        return Boolean.TRUE.equals(found) ? Lookup.EXISTS : Lookup.MISSING;
    }
}
