package dev.apim.bench.replay;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apim.eventstore.EventSerialization;
import dev.apim.eventstore.EventStoreConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills a PostgreSQL event store with a realistic history for the replay benchmark: the product's own event
 * classes, serializer ({@link EventSerialization}), event schema and {@code event_store} migrations, appended
 * through Axon's {@link JdbcEventStorageEngine} exactly as the command side appends them (batched; JDBC batch
 * inserts rewritten into multi-row inserts). Workers own disjoint aggregates, so their appends interleave
 * without breaking any aggregate's order. Only the event store is written: read models and tokens are left to
 * the product, which builds them by replaying.
 */
@Command(name = "generate-events", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Appends a realistic history of APIM events to a PostgreSQL event store (schema event_store).")
public final class GenerateEvents implements Callable<Integer> {

    static final int MAX_EVENTS = 100_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc-url", description = "PostgreSQL JDBC URL of the (existing) database. Default: ${DEFAULT-VALUE}",
            defaultValue = "jdbc:postgresql://127.0.0.1:5432/apim_replay_bench")
    String jdbcUrl;

    @Option(names = "--user", description = "Database user. Default: ${DEFAULT-VALUE}", defaultValue = "postgres")
    String user;

    @Option(names = "--password", description = "Database password (default: none; or PGPASSWORD)",
            defaultValue = "${env:PGPASSWORD}")
    String password;

    @Option(names = {"-n", "--events"}, description = "How many events to append (1..100000000). Default: ${DEFAULT-VALUE}",
            defaultValue = "1000000")
    long events;

    @Option(names = "--batch", description = "Events per append (one transaction, one JDBC batch), 1..10000. "
            + "Default: ${DEFAULT-VALUE}", defaultValue = "1000")
    int batch;

    @Option(names = "--threads", description = "Concurrent appenders, each with its own aggregates, 1..16. "
            + "Default: ${DEFAULT-VALUE}", defaultValue = "2")
    int threads;

    @Option(names = "--tenants", description = "Number of tenants (carbon.super plus tenantN.com), 1..1000. "
            + "Default: ${DEFAULT-VALUE}", defaultValue = "3")
    int tenants;

    @Option(names = "--seed", description = "Random seed; the same seed gives the same history. Default: ${DEFAULT-VALUE}",
            defaultValue = "42")
    long seed;

    @Option(names = "--append", description = "Append even if the event store already holds events "
            + "(refused by default so a benchmark never mixes histories)")
    boolean append;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new GenerateEvents()).execute(args);
    }

    /** Checks the arguments picocli cannot: ranges and the URL's shape. Bad input is exit code 2 with a message. */
    void validate() {
        if (events < 1 || events > MAX_EVENTS) {
            throw bad("--events must be between 1 and " + MAX_EVENTS + " (was " + events + ")");
        }
        if (batch < 1 || batch > 10_000) {
            throw bad("--batch must be between 1 and 10000 (was " + batch + ")");
        }
        if (threads < 1 || threads > 16) {
            throw bad("--threads must be between 1 and 16 (was " + threads + ")");
        }
        if (tenants < 1 || tenants > 1000) {
            throw bad("--tenants must be between 1 and 1000 (was " + tenants + ")");
        }
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw bad("--jdbc-url must be a jdbc:postgresql:// URL (was '" + jdbcUrl + "')");
        }
        if (user == null || user.isBlank()) {
            throw bad("--user must not be blank");
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        validate();
        DataSource dataSource = dataSource();
        migrateEventStore(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Long existing = jdbc.queryForObject("SELECT count(*) FROM (SELECT 1 FROM event_store.domain_event_entry LIMIT 1) e",
                Long.class);
        if (existing != null && existing > 0 && !append) {
            spec.commandLine().getErr().println("The event store already holds events; use a fresh database or --append");
            return 3;
        }
        JdbcEventStorageEngine engine = engine(dataSource);
        List<String> tenantNames = new ArrayList<>();
        tenantNames.add("carbon.super");
        for (int i = 1; i < tenants; i++) {
            tenantNames.add("tenant" + i + ".com");
        }
        Instant start = Instant.now().minus(Duration.ofDays(30));
        AtomicLong appended = new AtomicLong();
        long began = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                long share = events / threads + (w < events % threads ? 1 : 0);
                EventMix mix = new EventMix(w, seed, tenantNames, start);
                done.add(pool.submit(() -> {
                    appendShare(engine, mix, share, appended, began);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "appended %d events in %.1f s (%.0f events/s)%n",
                appended.get(), seconds, appended.get() / seconds);
        return 0;
    }

    private void appendShare(JdbcEventStorageEngine engine, EventMix mix, long share, AtomicLong appended, long began) {
        List<DomainEventMessage<?>> pending = new ArrayList<>(batch + 4);
        long written = 0;
        while (written < share) {
            pending.clear();
            // An action may emit up to three events; never overshoot the share by more than that.
            mix.next(pending, (int) Math.min(batch, share - written));
            List<? extends EventMessage<?>> chunk = pending.size() > share - written
                    ? pending.subList(0, (int) (share - written)) : pending;
            engine.appendEvents(chunk);
            written += chunk.size();
            long total = appended.addAndGet(chunk.size());
            if (total / 100_000 != (total - chunk.size()) / 100_000) {
                double seconds = (System.nanoTime() - began) / 1e9;
                spec.commandLine().getOut().printf(Locale.ROOT, "%,d events (%.0f/s)%n", total, total / seconds);
            }
        }
    }

    private DataSource dataSource() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
        config.setUsername(user);
        config.setPassword(password == null ? "" : password);
        config.setMaximumPoolSize(threads + 1);
        config.setPoolName("generate-events");
        return new HikariDataSource(config);
    }

    /** The event store's own migrations, as the product runs them (same schema, history table and scripts). */
    private static void migrateEventStore(DataSource dataSource) {
        String schema = EventStoreConfiguration.SCHEMA;
        Flyway.configure().dataSource(dataSource).schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("classpath:db/" + schema).table("flyway_schema_history").load().migrate();
    }

    private static JdbcEventStorageEngine engine(DataSource dataSource) {
        Serializer serializer = EventSerialization.serializer();
        return JdbcEventStorageEngine.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(new SpringTransactionManager(new DataSourceTransactionManager(dataSource)))
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .dataType(String.class)
                .schema(EventStoreConfiguration.eventSchema())
                .build();
    }

    @Override
    public String toString() {
        return "GenerateEvents" + Arrays.asList(jdbcUrl, events, batch, threads, tenants, seed);
    }
}
