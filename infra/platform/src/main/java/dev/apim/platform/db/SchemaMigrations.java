package dev.apim.platform.db;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import javax.sql.DataSource;
import java.io.IOException;
import java.util.List;

/**
 * Runs each module's Flyway migrations into its own PostgreSQL schema. By convention a module that owns
 * schema {@code X} ships its migrations under {@code db/X/} on the classpath; each schema keeps its own
 * history table, so modules evolve independently. Schemas run in the order listed.
 */
public final class SchemaMigrations {

    /** The schemas of the system, in migration order. */
    public static final List<String> SCHEMAS = List.of("event_store", "apimgtdb", "shareddb", "keymanager");

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {}

    public static void migrate(DataSource dataSource) {
        for (String schema : SCHEMAS) {
            if (!hasMigrations(schema)) {
                continue;
            }
            var result = Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .locations("classpath:db/" + schema)
                    .table("flyway_schema_history")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.info("Schema {}: applied {} migration(s), now at version {}", schema, result.migrationsExecuted,
                        result.targetSchemaVersion);
            }
        }
    }

    /**
     * Migrates {@code target} from the scripts of {@code schema} (which name no schema themselves), with its own
     * history table: a shadow copy of a read model, built by a rebuild and later renamed to {@code schema}.
     */
    public static void migrateInto(DataSource dataSource, String schema, String target) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(target)
                .defaultSchema(target)
                .createSchemas(true)
                .locations("classpath:db/" + schema)
                .table("flyway_schema_history")
                .load()
                .migrate();
    }

    private static boolean hasMigrations(String schema) {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver().getResources("classpath*:db/" + schema + "/*.sql");
            return found.length > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
