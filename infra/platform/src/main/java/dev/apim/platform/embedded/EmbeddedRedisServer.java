package dev.apim.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary shipped in {@code com.github.codemonstur:embedded-redis}) bound to
 * 127.0.0.1 on a free port. Its working directory is the caller's data directory and it persists
 * with an append-only file (fsync every second, flushed on the graceful stop {@link #close()} does),
 * so keys survive a restart on the same directory.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);
    private static final String LOCK_FILE = "redis.lock";
    private static final String PID_FILE = "redis.pid";

    private final RedisServer server;
    private final int port;
    private final Path dataDirectory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedRedisServer(RedisServer server, int port, Path dataDirectory, FileChannel lockChannel, FileLock lock) {
        this.server = server;
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.shutdownHook = new Thread(this::close, "embedded-redis-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts redis-server with {@code dataDirectory} (created when missing) as its directory. A
     * redis-server left running on that directory by a killed previous run is stopped first.
     *
     * @throws IllegalStateException when another live server holds the directory
     * @throws UncheckedIOException when the server cannot start
     */
    public static EmbeddedRedisServer start(Path dataDirectory) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Path directory;
        FileChannel lockChannel = null;
        FileLock lock;
        try {
            Files.createDirectories(dataDirectory);
            directory = dataDirectory.toRealPath();
            OrphanProcess.requireUnlocked(directory.resolve(LOCK_FILE));
            OrphanProcess.clear(directory.resolve(PID_FILE),
                    process -> OrphanProcess.commandNamed(process, "redis-server"),
                    process -> false);
            lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("data directory " + directory + " is in use by a running server");
            }
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new UncheckedIOException("cannot prepare Redis data directory " + dataDirectory, e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }

        long started = System.nanoTime();
        Exception failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            int port = FreePort.pick();
            RedisServer server = null;
            try {
                server = RedisServer.newRedisServer()
                        .bind(HOST)
                        .port(port)
                        .setting("dir " + quote(directory.toString()))
                        .setting("pidfile " + quote(directory.resolve(PID_FILE).toString()))
                        .setting("appendonly yes")
                        .setting("appendfilename \"appendonly.aof\"")
                        .setting("appendfsync everysec")
                        .setting("save \"\"")
                        .setting("daemonize no")
                        .setting("protected-mode yes")
                        .onShutdownForceStop(false)
                        .build();
                server.start();
                LOG.info("embedded Redis on {}:{} (data {}) started in {} ms", HOST, port, directory,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return new EmbeddedRedisServer(server, port, directory, lockChannel, lock);
            } catch (IOException | RuntimeException e) {
                stopQuietly(server);
                if (failure == null) {
                    failure = e;
                    LOG.warn("embedded Redis did not start on port {} ({}); retrying on another port", port, e.toString());
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        closeQuietly(lockChannel);
        throw new UncheckedIOException("embedded Redis did not start on " + directory,
                failure instanceof IOException io ? io : new IOException(failure));
    }

    /** Quotes a value for redis.conf (double quotes, backslash escapes). */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server gracefully (SIGTERM: Redis flushes its append-only file). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded Redis on port " + port, e);
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // the channel close below releases it as well
            }
            closeQuietly(lockChannel);
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting; the hook finds us closed
                }
            }
        }
    }

    private static void stopQuietly(RedisServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException | RuntimeException ignored) {
            // the start failed; nothing more to do
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedisServer[" + uri() + ", data=" + dataDirectory + "]";
    }
}
