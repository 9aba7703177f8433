package dev.apim.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.embedded.EmbeddedPostgresServer;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The node's PostgreSQL: the configured database, or an embedded server under {@code apim.data-dir} when none
 * is configured. Writes (event store, projections) go through JDBC in Spring transactions; query endpoints
 * read through a pooled R2DBC client so they never block a Netty thread. Migrations run before the pool is
 * handed to anyone.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);
    private static final String EMBEDDED_DATABASE = "apim";

    /** Holds the embedded server, if one was started, so it stops with the context. */
    public record EmbeddedDatabase(EmbeddedPostgresServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedDatabase embeddedDatabase(ApimProperties properties) {
        if (properties.db().url() != null && !properties.db().url().isBlank()) {
            return new EmbeddedDatabase(null);
        }
        var dir = properties.dataDir().resolve("postgres").toAbsolutePath();
        log.info("No apim.db.url (APIM_DB_URL) configured: starting embedded PostgreSQL with data in {}", dir);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir);
        server.ensureDatabase(EMBEDDED_DATABASE);
        return new EmbeddedDatabase(server);
    }

    @Bean
    public DatabaseEndpoint databaseEndpoint(ApimProperties properties, EmbeddedDatabase embedded) {
        if (embedded.server() != null) {
            EmbeddedPostgresServer server = embedded.server();
            return new DatabaseEndpoint(server.jdbcUrl(EMBEDDED_DATABASE), server.username(), server.password());
        }
        ApimProperties.Db db = properties.db();
        DatabaseEndpoint endpoint = new DatabaseEndpoint(db.url(), db.username(), db.password());
        endpoint.parsed();
        return endpoint;
    }

    @Bean(destroyMethod = "close")
    @Primary
    public HikariDataSource dataSource(DatabaseEndpoint endpoint, ApimProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("apim-jdbc");
        config.setJdbcUrl(endpoint.jdbcUrl());
        config.setUsername(endpoint.effectiveUsername());
        config.setPassword(endpoint.effectivePassword());
        config.setMaximumPoolSize(properties.db().poolSize());
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            SchemaMigrations.migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** Commit signals within this node and, through LISTEN/NOTIFY on two dedicated connections, across nodes. */
    @Bean
    public ChangeSignals changeSignals(DatabaseEndpoint endpoint, ApimProperties properties) {
        return new ChangeSignals(ChangeSignals.ConnectionSource.of(endpoint), properties.consistency().listen());
    }

    @Bean
    @Primary
    public PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    public JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new RedirectingJdbcTemplate(dataSource);
    }

    /**
     * Where the R2DBC readers connect: {@code apim.db.read-url} (a streaming replica) when set, else the primary.
     * Read-your-writes still holds on a replica: {@code TokenProgress} reads the processors' tokens through this
     * same pool, i.e. from the replica's own {@code token_entry}, and a projection commits its rows and its token in
     * one transaction, which the replica replays atomically and in commit order. So a write waits until the replica
     * shows it, and its lag is added to the wait, never skipped.
     */
    public record ReadEndpoint(DatabaseEndpoint endpoint, boolean replica) {}

    @Bean
    public ReadEndpoint readEndpoint(DatabaseEndpoint primary, ApimProperties properties) {
        ApimProperties.Db db = properties.db();
        if (!db.hasReadReplica()) {
            return new ReadEndpoint(primary, false);
        }
        DatabaseEndpoint replica = new DatabaseEndpoint(db.readUrl(),
                db.readUsername() != null ? db.readUsername() : db.username(),
                db.readPassword() != null ? db.readPassword() : db.password());
        replica.parsed();
        log.info("Query endpoints read from the replica {}:{}/{}", replica.host(), replica.port(), replica.database());
        return new ReadEndpoint(replica, true);
    }

    @Bean(destroyMethod = "dispose")
    public ConnectionPool r2dbcConnectionFactory(ReadEndpoint read, ApimProperties properties,
                                                 ObjectProvider<DataSource> migratedFirst) {
        migratedFirst.getObject();
        DatabaseEndpoint endpoint = read.endpoint();
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host(endpoint.host())
                .port(endpoint.port())
                .database(endpoint.database())
                .username(endpoint.effectiveUsername())
                .password(endpoint.effectivePassword())
                .applicationName("apim-query")
                .build());
        return new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
                .name("apim-r2dbc")
                .initialSize(2)
                .maxSize(properties.db().poolSize())
                .maxIdleTime(Duration.ofMinutes(10))
                // After a database restart every pooled connection is dead: acquiring discards each one that fails
                // validation and tries the next, instead of failing the request after one retry (issue 7).
                .acquireRetry(properties.db().poolSize() + 1)
                .build());
    }

    @Bean
    public DatabaseClient databaseClient(ConnectionFactory connectionFactory) {
        return DatabaseClient.create(connectionFactory);
    }
}
