package dev.apim.command.policy;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyUsage;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Answers "who uses this policy" from the {@code apimgtdb} read models: APIs (their current definition, their
 * revisions and their operations), subscriptions and applications when those tables exist. The read models are
 * eventually consistent, so a use created a moment ago (not yet projected) may be missed: the rule guards
 * administrators against a mistake; it is not a set-based invariant enforced in the command's transaction.
 */
public class ReadModelThrottlePolicyUsage implements ThrottlePolicyUsage {

    private static final int MAX_REPORTED = 5;

    private final JdbcTemplate jdbc;

    public ReadModelThrottlePolicyUsage(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> usersOf(String tenant, Level level, String name) {
        List<String> users = new ArrayList<>();
        switch (level) {
            case API -> {
                users.addAll(names("""
                        SELECT DISTINCT 'API ' || a.name FROM apimgtdb.api a WHERE a.tenant = ?
                          AND (lower(a.definition->>'apiThrottlingPolicy') = lower(?)
                            OR EXISTS (SELECT 1 FROM apimgtdb.api_operation o WHERE o.api_id = a.api_id
                                       AND lower(o.throttling_policy) = lower(?))
                            OR EXISTS (SELECT 1 FROM apimgtdb.api_revision r WHERE r.api_id = a.api_id
                                       AND (lower(r.definition->>'apiThrottlingPolicy') = lower(?)
                                         OR EXISTS (SELECT 1 FROM jsonb_array_elements(
                                                coalesce(r.definition->'operations', '[]'::jsonb)) op
                                                WHERE lower(op->>'throttlingPolicy') = lower(?)))))
                        LIMIT""" + " " + MAX_REPORTED, tenant, name, name, name, name));
            }
            case SUBSCRIPTION -> {
                users.addAll(names("""
                        SELECT DISTINCT 'API ' || a.name FROM apimgtdb.api a WHERE a.tenant = ?
                          AND (EXISTS (SELECT 1 FROM jsonb_array_elements_text(
                                   coalesce(a.definition->'policies', '[]'::jsonb)) p WHERE lower(p) = lower(?))
                            OR EXISTS (SELECT 1 FROM apimgtdb.api_revision r, jsonb_array_elements_text(
                                   coalesce(r.definition->'policies', '[]'::jsonb)) rp
                                   WHERE r.api_id = a.api_id AND lower(rp) = lower(?)))
                        LIMIT""" + " " + MAX_REPORTED, tenant, name, name));
                users.addAll(countIn("subscription", "subscription(s)", tenant, name));
            }
            case APPLICATION -> users.addAll(countIn("application", "application(s)", tenant, name));
        }
        return users;
    }

    /** Counts rows of another slice's table by {@code throttling_policy}, if that table exists yet. */
    private List<String> countIn(String table, String what, String tenant, String name) {
        String regclass = jdbc.queryForObject("SELECT to_regclass(?)::text", String.class, "apimgtdb." + table);
        if (regclass == null) {
            return List.of();
        }
        Set<String> columns = Set.copyOf(jdbc.queryForList("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'apimgtdb' AND table_name = ?", String.class, table));
        if (!columns.contains("throttling_policy")) {
            return List.of();
        }
        boolean byTenant = columns.contains("tenant");
        Long count = byTenant
                ? jdbc.queryForObject("SELECT count(*) FROM apimgtdb." + table
                + " WHERE tenant = ? AND lower(throttling_policy) = lower(?)", Long.class, tenant, name)
                : jdbc.queryForObject("SELECT count(*) FROM apimgtdb." + table
                + " WHERE lower(throttling_policy) = lower(?)", Long.class, name);
        return count == null || count == 0 ? List.of() : List.of(count + " " + what);
    }

    private List<String> names(String sql, Object... args) {
        return jdbc.queryForList(sql, String.class, args);
    }
}
