package dev.apim.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real three-master Redis Cluster on loopback for tests, from the machine's {@code redis-server} and
 * {@code redis-cli} (CI installs them): ports from 23000 up (bus ports +10000), no persistence, in a temporary
 * directory, stopped with {@link #close()}. {@link #available()} says whether the binaries are there; tests skip
 * only when they are not.
 */
public final class LocalRedisCluster implements AutoCloseable {

    private static final int FIRST_PORT = 23000;
    private static final int MASTERS = 3;

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final Path dir;

    private LocalRedisCluster(Path dir) {
        this.dir = dir;
    }

    /** Whether {@code redis-server} and {@code redis-cli} are on the PATH. */
    public static boolean available() {
        return onPath("redis-server") && onPath("redis-cli");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, command))) {
                return true;
            }
        }
        return false;
    }

    /** Starts three masters and joins them into a cluster covering every slot; waits until it answers. */
    public static LocalRedisCluster start() {
        try {
            LocalRedisCluster cluster = new LocalRedisCluster(Files.createTempDirectory("apim-redis-cluster"));
            try {
                cluster.boot();
                return cluster;
            } catch (RuntimeException | IOException | InterruptedException e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void boot() throws IOException, InterruptedException {
        int base = freeBase();
        for (int i = 0; i < MASTERS; i++) {
            int port = base + i;
            Path nodeDir = Files.createDirectories(dir.resolve(String.valueOf(port)));
            Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                    "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", nodeDir.toString())
                    .redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start();
            processes.add(process);
            ports.add(port);
        }
        for (int port : ports) {
            await(() -> cli(port, "ping").contains("PONG"), "redis-server on " + port);
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process join = new ProcessBuilder(create).redirectErrorStream(true).start();
        String out = new String(join.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!join.waitFor(60, TimeUnit.SECONDS) || join.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        for (int port : ports) {
            await(() -> cli(port, "cluster", "info").contains("cluster_state:ok"), "cluster state on " + port);
        }
    }

    /** The first of three consecutive ports (and their bus ports) that are free, from 23000 in steps of 10. */
    private static int freeBase() {
        for (int base = FIRST_PORT; base < FIRST_PORT + 900; base += 10) {
            boolean free = true;
            for (int i = 0; i < MASTERS && free; i++) {
                free = isFree(base + i) && isFree(base + i + 10000);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports for a Redis Cluster from " + FIRST_PORT);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    /** {@code redis://127.0.0.1:<port>} of every master. */
    public List<String> nodes() {
        return ports.stream().map(p -> "redis://127.0.0.1:" + p).toList();
    }

    @Override
    public void close() {
        LocalProcesses.stopAll(processes);
        TempDirectories.deleteQuietly(dir);
    }
}
