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
 * A Redis master watched by one Sentinel on loopback for tests (the machine's {@code redis-server}; ports from
 * 23050 up), master name {@value #MASTER}, no persistence, stopped with {@link #close()}. Use
 * {@link LocalRedisCluster#available()} to skip when the binaries are absent.
 */
public final class LocalRedisSentinel implements AutoCloseable {

    public static final String MASTER = "apim-master";

    private final List<Process> processes = new ArrayList<>();
    private final Path dir;
    private int sentinelPort;

    private LocalRedisSentinel(Path dir) {
        this.dir = dir;
    }

    public static LocalRedisSentinel start() {
        try {
            LocalRedisSentinel sentinel = new LocalRedisSentinel(Files.createTempDirectory("apim-redis-sentinel"));
            try {
                sentinel.boot();
                return sentinel;
            } catch (RuntimeException | IOException e) {
                sentinel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void boot() throws IOException {
        int masterPort = freePort(23050);
        sentinelPort = freePort(masterPort + 1);
        processes.add(new ProcessBuilder("redis-server", "--port", String.valueOf(masterPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("master.log").toFile()).start());
        await(masterPort, "PING", "PONG");
        Path config = dir.resolve("sentinel.conf");
        Files.writeString(config, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + dir + "\n"
                + "sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " 1\n"
                + "sentinel down-after-milliseconds " + MASTER + " 2000\n", StandardCharsets.UTF_8);
        processes.add(new ProcessBuilder("redis-server", config.toString(), "--sentinel")
                .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start());
        await(sentinelPort, "SENTINEL get-master-addr-by-name " + MASTER, String.valueOf(masterPort));
    }

    private static int freePort(int from) {
        for (int port = from; port < 23999; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException ignored) {
                // taken
            }
        }
        throw new IllegalStateException("no free port from " + from);
    }

    private static void await(int port, String command, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<String> cli = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
            cli.addAll(List.of(command.split(" ")));
            try {
                Process p = new ProcessBuilder(cli).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(10, TimeUnit.SECONDS);
                if (out.contains(expected)) {
                    return;
                }
                Thread.sleep(100);
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("redis on " + port + " did not answer " + command);
    }

    /** The sentinel's address. */
    public String sentinel() {
        return "redis://127.0.0.1:" + sentinelPort;
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        TempDirectories.deleteQuietly(dir);
    }
}
