package dev.apim.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a streaming hot-standby replica of it on loopback for tests, from the machine's Debian
 * binaries ({@code /usr/lib/postgresql/<version>/bin}: initdb, pg_ctl, pg_basebackup; CI has them): ports from
 * 23100 up, trust authentication, fsync off, in a temporary directory, stopped with {@link #close()}. Run as root
 * (CI, containers), the servers run as the {@code postgres} user through {@code runuser}, since PostgreSQL refuses
 * root. {@link #available()} says whether this can work here; tests skip only when it cannot.
 */
public final class LocalPostgresReplica implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final boolean asPostgres;
    private final List<Path> running = new ArrayList<>();
    private int primaryPort;
    private int replicaPort;

    private LocalPostgresReplica(Path bin, Path dir, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.asPostgres = asPostgres;
    }

    /** The newest Debian PostgreSQL bin directory with initdb, pg_ctl and pg_basebackup, if any. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
                            && Files.isExecutable(b.resolve("pg_basebackup")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Whether the binaries are installed (and, as root, runuser and a postgres user exist). */
    public static boolean available() {
        if (binaries().isEmpty()) {
            return false;
        }
        if (!isRoot()) {
            return true;
        }
        boolean runuser = Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))
                || Files.isExecutable(Path.of("/usr/bin/runuser"));
        return runuser && run(List.of("id", "-u", "postgres"), null).exitCode == 0;
    }

    /** Starts the primary, copies it with pg_basebackup and starts the replica streaming from it. */
    public static LocalPostgresReplica start() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries"));
        try {
            Path dir = Files.createTempDirectory("apim-pg-replica");
            boolean asPostgres = isRoot();
            if (asPostgres) {
                check(run(List.of("chown", "postgres", dir.toString()), null), "chown");
                dir.toFile().setExecutable(true, false);
            }
            LocalPostgresReplica pg = new LocalPostgresReplica(bin, dir, asPostgres);
            try {
                pg.boot();
                return pg;
            } catch (RuntimeException e) {
                pg.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void boot() {
        primaryPort = LocalProcesses.freePort(23100);
        replicaPort = LocalProcesses.freePort(primaryPort + 1);
        Path primary = dir.resolve("primary");
        Path replica = dir.resolve("replica");
        check(exec(List.of(bin.resolve("initdb").toString(), "-D", primary.toString(), "-A", "trust", "-U",
                "postgres", "--no-sync")), "initdb");
        startServer(primary, primaryPort);
        check(exec(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(primaryPort), "-U", "postgres", "-D", replica.toString(), "-R", "-X", "stream",
                "--no-sync")), "pg_basebackup");
        startServer(replica, replicaPort);
    }

    private void startServer(Path data, int port) {
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c full_page_writes=off -c hot_standby=on -c hot_standby_feedback=on -c max_connections=100";
        check(exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options, "-l",
                data + ".log", "-w", "-t", "60", "start")), "pg_ctl start " + data.getFileName());
        running.add(data);
    }


    private Result exec(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return run(full, dir.toFile());
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, File workDir) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (workDir != null) {
                builder.directory(workDir);
            }
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, out + " (timed out)");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static void check(Result result, String what) {
        if (result.exitCode != 0) {
            throw new IllegalStateException(what + " failed: " + result.output);
        }
    }

    /** JDBC URL of a database on the primary. */
    public String primaryUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/" + database + "?user=postgres";
    }

    /** JDBC URL of the same database on the replica. */
    public String replicaUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/" + database + "?user=postgres";
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            exec(List.of(bin.resolve("pg_ctl").toString(), "-D", running.get(i).toString(), "-m", "immediate",
                    "-w", "stop"));
        }
        running.clear();
        TempDirectories.deleteQuietly(dir);
    }
}
