package dev.apim.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dataDirectory;

    @Test
    void createsADatabaseAndKeepsDataAcrossRestart() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            System.out.printf("embedded PostgreSQL first start (initdb) took %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(postgres.host()).isEqualTo("127.0.0.1");
            assertThat(postgres.username()).isEqualTo("postgres");
            assertThat(postgres.password()).isEmpty();
            assertThat(postgres.jdbcUrl("apimgtdb"))
                    .isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/apimgtdb?user=postgres");

            assertThat(postgres.ensureDatabase("apimgtdb")).isTrue();
            assertThat(postgres.ensureDatabase("apimgtdb")).isFalse();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("apimgtdb"));
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id int PRIMARY KEY, name text)");
                statement.execute("INSERT INTO kept VALUES (1, 'survives')");
            }
        }
        assertThat(dataDirectory.resolve("postmaster.pid")).doesNotExist();

        started = System.nanoTime();
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            System.out.printf("embedded PostgreSQL restart on existing cluster took %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(postgres.ensureDatabase("apimgtdb")).isFalse();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("apimgtdb"));
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT name FROM kept WHERE id = 1")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("survives");
            }
        }
    }

    @Test
    void recoversFromAStalePidFileAndAnOrphanedServer() throws Exception {
        int port;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            postgres.ensureDatabase("kept");
            port = postgres.port();
        }
        // a killed run leaves postmaster.pid behind, naming a pid that is gone or reused
        Files.writeString(dataDirectory.resolve("postmaster.pid"),
                "999999999\n" + dataDirectory.toRealPath() + "\n0\n" + port + "\n");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            assertThat(postgres.ensureDatabase("kept")).isFalse();
        }

        // a killed JVM leaves its postmaster running (pg_ctl daemonizes it): simulate with our own pid
        // file pointing at a live postgres we started and then abandoned without close()
        EmbeddedPostgresServer abandoned = EmbeddedPostgresServer.start(dataDirectory);
        long postmasterPid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        releaseZonkyLock(abandoned);
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(postgres.ensureDatabase("kept")).isFalse();
        }
    }

    @Test
    void refusesADirectoryInUse() {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDirectory))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
            assertThat(postgres.port()).isPositive();
        }
    }

    @Test
    void validatesDatabaseNames() {
        assertThat(EmbeddedPostgresServer.requireValidName("apim_gt_db1")).isEqualTo("apim_gt_db1");
        assertThat(EmbeddedPostgresServer.requireValidName("_" + "a".repeat(62))).hasSize(63);
        for (String bad : new String[] {"", "1abc", "Apim", "a-b", "a;drop", "a\"b", "_" + "a".repeat(63)}) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.requireValidName(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Simulates the JVM that owned {@code server} dying: zonky's lock on the data directory goes away
     * (the OS releases it with the process) while the postmaster keeps running.
     */
    private static void releaseZonkyLock(EmbeddedPostgresServer server) throws Exception {
        java.lang.reflect.Field postgresField = EmbeddedPostgresServer.class.getDeclaredField("postgres");
        postgresField.setAccessible(true);
        Object zonky = postgresField.get(server);
        for (String name : new String[] {"lock", "lockStream"}) {
            java.lang.reflect.Field field = zonky.getClass().getDeclaredField(name);
            field.setAccessible(true);
            Object value = field.get(zonky);
            if (value instanceof java.nio.channels.FileLock lock) {
                lock.release();
            } else if (value instanceof java.io.Closeable closeable) {
                closeable.close();
            }
        }
        java.lang.reflect.Field hookField = EmbeddedPostgresServer.class.getDeclaredField("shutdownHook");
        hookField.setAccessible(true);
        Runtime.getRuntime().removeShutdownHook((Thread) hookField.get(server));
    }
}
