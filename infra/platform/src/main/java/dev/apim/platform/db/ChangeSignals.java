package dev.apim.platform.db;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wakes whatever waits for the event store or the read models — on every node — as soon as something commits,
 * instead of at its next poll. Two kinds of change: {@link Kind#EVENTS} (events appended) and {@link Kind#TOKENS}
 * (a projection committed its tracking token).
 *
 * <p>In-process: {@link #committed} emits at once to local subscribers. Across nodes: PostgreSQL LISTEN/NOTIFY on
 * channels {@code apim_events} / {@code apim_tokens}, with the sending node's id as payload so a node ignores its
 * own. The NOTIFY is sent <em>after</em> the commit, from one dedicated connection, coalesced (one NOTIFY per kind
 * covers every commit since the previous one), not inside the writing transaction: PostgreSQL serialises the
 * commits of notifying transactions under one lock, which measured 240 instead of 3,700 inserts/s with 8 clients
 * (docs/benchmarks.md). The cost of that choice: a node that dies between its commit and the NOTIFY leaves the
 * others to find the change at their poll fallback.
 *
 * <p>A second dedicated connection LISTENs ({@code PGConnection.getNotifications(timeout)}) on its own thread;
 * if it fails it reconnects with backoff (100 ms doubling to 5 s) and, meanwhile, {@link #listening()} is false
 * so pollers use their short fallback interval. Neither connection is taken from the pool.
 */
public final class ChangeSignals implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeSignals.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int LISTEN_TIMEOUT_MS = 500;

    /** What changed. */
    public enum Kind {
        EVENTS("apim_events"), TOKENS("apim_tokens");

        private final String channel;

        Kind(String channel) {
            this.channel = channel;
        }

        public String channel() {
            return channel;
        }

        static Kind ofChannel(String channel) {
            for (Kind kind : values()) {
                if (kind.channel.equals(channel)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Opens a dedicated connection (outside the pool). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;

        static ConnectionSource of(DatabaseEndpoint endpoint) {
            return () -> {
                Properties props = new Properties();
                if (endpoint.effectiveUsername() != null) {
                    props.setProperty("user", endpoint.effectiveUsername());
                }
                if (endpoint.effectivePassword() != null) {
                    props.setProperty("password", endpoint.effectivePassword());
                }
                props.setProperty("ApplicationName", "apim-signals");
                props.setProperty("tcpKeepAlive", "true");
                return DriverManager.getConnection(endpoint.jdbcUrl(), props);
            };
        }
    }

    private final ConnectionSource connections;
    private final boolean crossNode;
    private final String nodeId = UUID.randomUUID().toString();
    private final Sinks.Many<Kind> local = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Kind> remote = Sinks.many().multicast().directBestEffort();
    private final Object pendingLock = new Object();
    private final Set<Kind> pending = EnumSet.noneOf(Kind.class);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean listening;
    private volatile Instant downSince = Instant.now();
    private volatile boolean running;
    private Thread listener;
    private Thread notifier;

    /**
     * @param connections dedicated connections for LISTEN and NOTIFY
     * @param crossNode   false keeps signals in-process (no connections opened; {@link #listening()} stays false)
     */
    public ChangeSignals(ConnectionSource connections, boolean crossNode) {
        this.connections = connections;
        this.crossNode = crossNode;
    }

    /** Something of this kind committed on this node: wake local waiters now, other nodes shortly after. */
    public void committed(Kind kind) {
        local.tryEmitNext(kind);
        if (crossNode && running) {
            synchronized (pendingLock) {
                if (pending.add(kind)) {
                    pendingLock.notifyAll();
                }
            }
        }
    }

    /** Changes committed by this node. */
    public Flux<Kind> local() {
        return local.asFlux();
    }

    /** Changes other nodes committed (through NOTIFY). */
    public Flux<Kind> remote() {
        return remote.asFlux();
    }

    /** Every change, local or remote. */
    public Flux<Kind> all() {
        return Flux.merge(local.asFlux(), remote.asFlux());
    }

    /** Whether the LISTEN connection is up: while it is not, pollers should use their short fallback interval. */
    public boolean listening() {
        return listening;
    }

    /** Since when the listener is down, or null while it listens. */
    public Instant downSince() {
        return listening ? null : downSince;
    }

    public long notificationsReceived() {
        return received.get();
    }

    public long notificationsSent() {
        return sent.get();
    }

    public long connectionFailures() {
        return failures.get();
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (crossNode) {
            listener = daemon("apim-signal-listen", this::listenLoop);
            notifier = daemon("apim-signal-notify", this::notifyLoop);
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        synchronized (pendingLock) {
            pendingLock.notifyAll();
        }
        for (Thread t : new Thread[]{listener, notifier}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        listener = null;
        notifier = null;
        listening = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Early: listening before the event processors and web server start. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void listenLoop() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try (Connection connection = connections.open()) {
                try (Statement statement = connection.createStatement()) {
                    for (Kind kind : Kind.values()) {
                        statement.execute("LISTEN " + kind.channel());
                    }
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                listening = true;
                backoff = MIN_BACKOFF;
                // Whatever was committed while we were not listening: wake everyone once.
                remote.tryEmitNext(Kind.EVENTS);
                remote.tryEmitNext(Kind.TOKENS);
                log.debug("Listening for change notifications");
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(LISTEN_TIMEOUT_MS);
                    if (notifications == null) {
                        continue;
                    }
                    boolean events = false;
                    boolean tokens = false;
                    for (PGNotification n : notifications) {
                        if (nodeId.equals(n.getParameter())) {
                            continue;
                        }
                        received.incrementAndGet();
                        Kind kind = Kind.ofChannel(n.getName());
                        events |= kind == Kind.EVENTS;
                        tokens |= kind == Kind.TOKENS;
                    }
                    if (events) {
                        remote.tryEmitNext(Kind.EVENTS);
                    }
                    if (tokens) {
                        remote.tryEmitNext(Kind.TOKENS);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                failures.incrementAndGet();
                if (listening) {
                    downSince = Instant.now();
                    log.warn("Change listener lost its connection ({}); polling until it is back", e.toString());
                } else {
                    log.debug("Change listener cannot connect: {}", e.toString());
                }
            } finally {
                if (listening) {
                    downSince = Instant.now();
                }
                listening = false;
            }
            if (!sleep(backoff)) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void notifyLoop() {
        Connection connection = null;
        Duration backoff = MIN_BACKOFF;
        while (running) {
            Set<Kind> batch;
            synchronized (pendingLock) {
                while (running && pending.isEmpty()) {
                    try {
                        pendingLock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch = EnumSet.copyOf(pending.isEmpty() ? EnumSet.noneOf(Kind.class) : pending);
                pending.clear();
            }
            if (!running) {
                break;
            }
            try {
                if (connection == null || connection.isClosed()) {
                    connection = connections.open();
                    connection.setAutoCommit(true);
                }
                try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                    for (Kind kind : batch) {
                        notify.setString(1, kind.channel());
                        notify.setString(2, nodeId);
                        notify.execute();
                        sent.incrementAndGet();
                    }
                }
                backoff = MIN_BACKOFF;
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                log.debug("Change notification not sent: {}", e.toString());
                close(connection);
                connection = null;
                if (!sleep(backoff)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        close(connection);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
