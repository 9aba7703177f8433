package dev.apim.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
        int masterPort = LocalProcesses.freePort(23050);
        sentinelPort = LocalProcesses.freePort(masterPort + 1);
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
        List<Process> newestFirst = new ArrayList<>(processes);
        Collections.reverse(newestFirst);
        LocalProcesses.stopAll(newestFirst); // the sentinel before the server it watches
        TempDirectories.deleteQuietly(dir);
    }
}
