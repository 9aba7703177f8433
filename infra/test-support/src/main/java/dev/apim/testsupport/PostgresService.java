package dev.apim.testsupport;

import dev.apim.platform.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One PostgreSQL server for the tests of this JVM, whichever way it was obtained. */
final class PostgresService {

    enum Kind {
        EXTERNAL, TESTCONTAINERS, EMBEDDED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String DEFAULT_IMAGE = "postgres:17-alpine";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresService.class);
    private static final Pattern PREFIX = Pattern.compile("^[a-z_][a-z0-9_]{0,49}$");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Kind kind;
    private final PostgresEndpoint endpoint;
    private final String adminUrl;
    private final List<String> created = new ArrayList<>();

    private PostgresService(Kind kind, PostgresEndpoint endpoint, String adminUrl) {
        this.kind = kind;
        this.endpoint = endpoint;
        this.adminUrl = adminUrl;
    }

    /** The first available of: the configured URL, a Testcontainers container, an embedded server. */
    static PostgresService resolve() {
        String url = Settings.get(Settings.DB_URL_PROPERTY, Settings.DB_URL_ENV);
        if (url != null) {
            return external(url);
        }
        if (Docker.available()) {
            return testcontainers(Settings.get(Settings.POSTGRES_IMAGE_PROPERTY, null, DEFAULT_IMAGE));
        }
        return embedded();
    }

    /**
     * An already-running server; {@code adminUrl} names a database the user can connect to and create
     * databases from, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}. Databases
     * created through this service are dropped when the JVM exits.
     */
    static PostgresService external(String adminUrl) {
        PostgresService service = new PostgresService(Kind.EXTERNAL, parse(adminUrl), adminUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(service::dropCreatedDatabases, "apim-test-db-drop"));
        return service;
    }

    /** Host, port, user and password of a JDBC URL, as the PostgreSQL driver reads them. */
    static PostgresEndpoint parse(String jdbcUrl) {
        Properties properties = Driver.parseURL(jdbcUrl, new Properties());
        if (properties == null) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl.replaceAll("password=[^&]*", "password=***"));
        }
        String host = first(properties.getProperty("PGHOST", "localhost"));
        int port = Integer.parseInt(first(properties.getProperty("PGPORT", "5432")));
        String user = properties.getProperty("user", System.getProperty("user.name"));
        return new PostgresEndpoint(host, port, user, properties.getProperty("password", ""));
    }

    private static String first(String commaSeparated) {
        int comma = commaSeparated.indexOf(',');
        return comma < 0 ? commaSeparated : commaSeparated.substring(0, comma);
    }

    static PostgresService testcontainers(String image) {
        PostgresEndpoint endpoint = Containers.postgres(image);
        return new PostgresService(Kind.TESTCONTAINERS, endpoint, endpoint.jdbcUrl("postgres"));
    }

    /** An embedded server on a temporary data directory, stopped and deleted when the JVM exits. */
    static PostgresService embedded() {
        Path directory = TempDirectories.create("apim-test-postgres-");
        EmbeddedPostgresServer server;
        try {
            server = EmbeddedPostgresServer.start(directory);
        } catch (RuntimeException e) {
            TempDirectories.deleteQuietly(directory);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                TempDirectories.deleteQuietly(directory);
            }
        }, "apim-test-postgres-cleanup"));
        PostgresEndpoint endpoint = new PostgresEndpoint(server.host(), server.port(), server.username(), server.password());
        return new PostgresService(Kind.EMBEDDED, endpoint, endpoint.jdbcUrl("postgres"));
    }

    Kind kind() {
        return kind;
    }

    PostgresEndpoint endpoint() {
        return endpoint;
    }

    String describe() {
        return kind.label() + "(" + endpoint.hostAndPort() + ")";
    }

    /** Creates {@code <prefix>_<random>} and returns its JDBC URL. */
    String freshDatabase(String prefix) {
        String normalized = prefix == null ? null : prefix.toLowerCase(Locale.ROOT);
        if (normalized == null || !PREFIX.matcher(normalized).matches()) {
            throw new IllegalArgumentException("invalid database prefix: " + prefix + " (expected " + PREFIX + ")");
        }
        String name = normalized + "_" + randomSuffix(12);
        synchronized (this) {
            try (Connection connection = DriverManager.getConnection(adminUrl);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE \"" + name + "\"");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + name + " on " + describe(), e);
            }
            created.add(name);
        }
        return endpoint.jdbcUrl(name);
    }

    private static String randomSuffix(int length) {
        char[] suffix = new char[length];
        for (int i = 0; i < length; i++) {
            suffix[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(suffix);
    }

    /** Drops every database {@link #freshDatabase} created, ignoring failures (best effort). */
    synchronized void dropCreatedDatabases() {
        if (created.isEmpty()) {
            return;
        }
        Properties options = new Properties();
        options.setProperty("connectTimeout", "5");
        options.setProperty("socketTimeout", "30");
        try (Connection connection = DriverManager.getConnection(adminUrl, options);
                Statement statement = connection.createStatement()) {
            for (String name : List.copyOf(created)) {
                try {
                    statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
                    created.remove(name);
                } catch (SQLException e) {
                    LOG.warn("cannot drop test database {}: {}", name, e.getMessage());
                }
            }
        } catch (SQLException e) {
            LOG.warn("cannot drop test databases {} on {}: {}", created, describe(), e.getMessage());
        }
    }
}
