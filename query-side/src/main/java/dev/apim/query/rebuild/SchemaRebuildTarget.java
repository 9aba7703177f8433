package dev.apim.query.rebuild;

import dev.apim.platform.db.SchemaMigrations;
import dev.apim.platform.db.SchemaRedirect;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

/**
 * A read-model schema ({@code apimgtdb}, {@code shareddb}) rebuilt into {@code <schema>_rebuild}: created by
 * Flyway from the schema's own scripts (which name no schema), filled by the unchanged projection beans through
 * a {@link SchemaRedirect}, then renamed into place. The old schema is renamed away inside the switch transaction
 * and dropped right after it: dropping its tables also invalidates every server-side prepared statement that
 * still points at them, so readers re-resolve {@code <schema>.x} to the new tables on their next execution.
 */
final class SchemaRebuildTarget implements RebuildTarget {

    private final String schema;
    private final String shadow;
    private final List<Object> handlers;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private String retired;

    SchemaRebuildTarget(String schema, List<Object> handlers, DataSource dataSource, JdbcTemplate jdbc) {
        this.schema = schema;
        this.shadow = schema + "_rebuild";
        this.handlers = List.copyOf(handlers);
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return schema;
    }

    @Override
    public List<Object> handlers() {
        return handlers;
    }

    @Override
    public boolean bufferWrites() {
        return true;
    }

    @Override
    public SchemaRedirect redirect() {
        return SchemaRedirect.of(Map.of(schema, shadow));
    }

    @Override
    public void prepare() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + shadow + " CASCADE");
        SchemaMigrations.migrateInto(dataSource, schema, shadow);
    }

    @Override
    public void swap(JdbcTemplate tx) {
        retired = schema + "_old_" + System.currentTimeMillis();
        Boolean exists = tx.queryForObject("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)",
                Boolean.class, schema);
        if (Boolean.TRUE.equals(exists)) {
            tx.execute("ALTER SCHEMA " + schema + " RENAME TO " + retired);
        } else {
            retired = null;
        }
        tx.execute("ALTER SCHEMA " + shadow + " RENAME TO " + schema);
    }

    @Override
    public void afterSwap(JdbcTemplate tx) {
        if (retired != null) {
            tx.execute("DROP SCHEMA IF EXISTS " + retired + " CASCADE");
        }
    }

    @Override
    public void discard() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + shadow + " CASCADE");
    }
}
