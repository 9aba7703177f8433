package dev.apim.query.rebuild;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import dev.apim.query.deadletter.BufferedBatchWrites;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Rebuilds projections from the event log while the live ones keep serving, then switches atomically.
 *
 * <p>One rebuild per projection at a time across all nodes (a PostgreSQL advisory lock held on a connection of
 * its own for the rebuild's life). A rebuild: {@link RebuildTarget#prepare() creates} an empty shadow; runs a
 * tracking processor of its own ({@code <name>_rebuild}, one segment, token in {@code event_store.token_entry})
 * over the whole log with the projection's handlers writing into the shadow; once it has reached the newest
 * event it stops, the live processor on this node is shut down (releasing its claim), and ONE transaction locks
 * the live processor's token rows, copies the rebuild's token into them unclaimed (a live processor on another
 * node that was mid-batch then fails to store its token, its claim being gone, and rolls back), deletes the group's dead letters (the rebuild applied those events) and swaps the shadow in. The
 * live processor then restarts and handles whatever came after the rebuild's position. Cancel (or a handler
 * failure) stops the rebuild processor and drops the shadow; the live projection is untouched.</p>
 */
public class ProjectionRebuilds implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);
    private static final long LOCK_BASE = 0x6170696d_00000000L; // "apim" in the high half
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    /** What the rebuild needs from Axon, looked up when a rebuild starts (Axon's beans come late). */
    public record Axon(Supplier<StreamableMessageSource<TrackedEventMessage<?>>> eventSource,
                       Supplier<TokenStore> tokenStore, Supplier<TransactionManager> transactionManager,
                       Supplier<EventProcessingConfiguration> processing) {}

    private final Map<String, Supplier<RebuildTarget>> targets;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Axon axon;
    private final int batchSize;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private volatile boolean bufferWrites = true;

    /**
     * Whether rebuild processors of targets that allow it buffer their batches' writes and send them as JDBC
     * batches ({@code apim.projections.replay-write-behind}, default true).
     */
    public void bufferWrites(boolean bufferWrites) {
        this.bufferWrites = bufferWrites;
    }

    public ProjectionRebuilds(Map<String, Supplier<RebuildTarget>> targets, DataSource dataSource, JdbcTemplate jdbc,
                              TransactionTemplate transactions, Axon axon, int batchSize, MeterRegistry meters) {
        this.targets = new LinkedHashMap<>(targets);
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.axon = axon;
        this.batchSize = batchSize;
        this.meters = meters;
        if (meters != null) {
            for (String name : this.targets.keySet()) {
                Gauge.builder("apim.projection.rebuild.events.done", this, r -> r.status(name).eventsDone())
                        .tag("projection", name).description("Log position the rebuild has reached")
                        .register(meters);
                Gauge.builder("apim.projection.rebuild.events.total", this, r -> r.status(name).eventsTotal())
                        .tag("projection", name).description("Newest event's position when last looked at")
                        .register(meters);
                Gauge.builder("apim.projection.rebuild.rate", this, r -> r.status(name).eventsPerSecond())
                        .tag("projection", name).baseUnit("events/s").register(meters);
                Gauge.builder("apim.projection.rebuild.running", this,
                                r -> r.status(name).finished() || "IDLE".equals(r.status(name).state()) ? 0 : 1)
                        .tag("projection", name).register(meters);
            }
        }
    }

    /** The projections that can be rebuilt on this node. */
    public Set<String> names() {
        return targets.keySet();
    }

    /** Starts a rebuild on a thread of its own. */
    public RebuildStatus start(String name) {
        Supplier<RebuildTarget> target = targets.get(name);
        if (target == null) {
            throw new UnknownProjectionException(name);
        }
        synchronized (jobs) {
            Job running = jobs.get(name);
            if (running != null && !running.status().finished()) {
                throw new RebuildRunningException(name);
            }
            Connection lock = tryLock(name);
            Job job = new Job(target.get(), lock);
            jobs.put(name, job);
            Thread thread = new Thread(job, "apim-rebuild-" + name);
            thread.setDaemon(true);
            thread.start();
            return job.status();
        }
    }

    /** The projection's last or current rebuild on this node ({@code IDLE} when none). */
    public RebuildStatus status(String name) {
        if (!targets.containsKey(name)) {
            throw new UnknownProjectionException(name);
        }
        Job job = jobs.get(name);
        return job == null ? new RebuildStatus(name, "IDLE", 0, 0, 0, null, null, null, null) : job.status();
    }

    public List<RebuildStatus> statuses() {
        List<RebuildStatus> all = new ArrayList<>();
        targets.keySet().forEach(n -> all.add(status(n)));
        return all;
    }

    /** Asks a running rebuild to stop; empty when none runs on this node. */
    public Optional<RebuildStatus> cancel(String name) {
        status(name);
        Job job = jobs.get(name);
        if (job == null || job.status().finished()) {
            return Optional.empty();
        }
        job.cancelled = true;
        return Optional.of(job.status());
    }

    /** Waits until the projection's rebuild has finished (or the timeout passed) and returns its status. */
    public RebuildStatus await(String name, Duration timeout) throws InterruptedException {
        Job job = jobs.get(name);
        if (job != null) {
            job.finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return status(name);
    }

    @Override
    public void destroy() throws InterruptedException {
        for (Job job : jobs.values()) {
            if (!job.status().finished()) {
                job.cancelled = true;
            }
        }
        for (Job job : jobs.values()) {
            job.finished.await(30, TimeUnit.SECONDS);
        }
    }

    /** The advisory lock key of a projection's rebuild. */
    public long lockKey(String name) {
        return LOCK_BASE + List.copyOf(targets.keySet()).indexOf(name);
    }

    /** Unlocks (a pooled connection keeps session locks) and returns the lock's connection. */
    private static void unlock(Connection connection, long key) throws SQLException {
        try (connection; PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            st.setLong(1, key);
            st.execute();
        }
    }

    private Connection tryLock(String name) {
        long key = lockKey(name);
        try {
            Connection connection = dataSource.getConnection();
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                st.setLong(1, key);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        connection.close();
                        throw new RebuildRunningException(name);
                    }
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                return connection;
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the rebuild lock of " + name, e);
        }
    }

    private long head() {
        Long head = jdbc.queryForObject("SELECT MAX(global_index) FROM event_store.domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    private void count(String name, String outcome) {
        if (meters != null) {
            outcomes.computeIfAbsent(name + "/" + outcome, k -> Counter.builder("apim.projection.rebuild.completed")
                    .tag("projection", name).tag("outcome", outcome).register(meters)).increment();
        }
    }

    /** One rebuild, run on its own thread. */
    private final class Job implements Runnable {
        private final RebuildTarget target;
        private final String processorName;
        private final Connection lock;
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Instant startedAt = Instant.now();
        private volatile boolean cancelled;
        private volatile String state = "RUNNING";
        private volatile long done;
        private volatile long total;
        private volatile double rate;
        private volatile Long eta;
        private volatile Instant finishedAt;
        private volatile String message;
        private volatile Throwable handlerError;
        private TrackingEventProcessor processor;

        Job(RebuildTarget target, Connection lock) {
            this.target = target;
            this.processorName = target.name() + "_rebuild";
            this.lock = lock;
        }

        RebuildStatus status() {
            return new RebuildStatus(target.name(), state, done, total, Math.round(rate * 10) / 10.0, eta, startedAt,
                    finishedAt, message);
        }

        @Override
        public void run() {
            String name = target.name();
            try {
                log.info("Rebuild of {} started", name);
                target.prepare();
                jdbc.update("DELETE FROM event_store.token_entry WHERE processor_name = ?", processorName);
                // A null token (the log's start) written up front: left to itself the processor would start from a
                // ReplayToken, which the switch would then hand to the live processor.
                transactions.executeWithoutResult(tx ->
                        axon.tokenStore().get().initializeTokenSegments(processorName, 1, null));
                processor = processor();
                processor.start();
                long startNanos = System.nanoTime();
                long lastLog = startNanos;
                while (true) {
                    if (cancelled) {
                        stopAndDiscard();
                        finish("CANCELLED", "cancelled");
                        count(name, "cancelled");
                        return;
                    }
                    long head = head();
                    Optional<EventTrackerStatus> tracker = Optional.ofNullable(processor.processingStatus().get(0));
                    Throwable error = handlerError != null ? handlerError
                            : tracker.filter(EventTrackerStatus::isErrorState).map(EventTrackerStatus::getError)
                            .orElse(null);
                    if (error != null) {
                        throw new IllegalStateException("A handler failed during the rebuild: " + error, error);
                    }
                    long position = tracker.flatMap(t -> {
                        var p = t.getCurrentPosition();
                        return p.isPresent() ? Optional.of(p.getAsLong()) : Optional.empty();
                    }).orElse(0L);
                    total = Math.max(head, position);
                    done = position;
                    double seconds = (System.nanoTime() - startNanos) / 1e9;
                    rate = seconds > 0 ? done / seconds : 0;
                    eta = rate > 0 ? (long) Math.ceil((total - done) / rate) : null;
                    if (System.nanoTime() - lastLog >= LOG_EVERY.toNanos()) {
                        lastLog = System.nanoTime();
                        log.info("Rebuild of {}: {}/{} events, {} events/s, ETA {} s", name, done, total,
                                Math.round(rate), eta);
                    }
                    if (position >= head && tracker.map(EventTrackerStatus::isCaughtUp).orElse(false)) {
                        switchOver();
                        done = total;
                        eta = 0L;
                        finish("COMPLETED", null);
                        count(name, "completed");
                        log.info("Rebuild of {} completed: {} events in {} s ({} events/s)", name, done,
                                Math.round(seconds), Math.round(rate));
                        return;
                    }
                    Thread.sleep(100);
                }
            } catch (Throwable e) {
                log.error("Rebuild of {} failed; the live projection is untouched", name, e);
                try {
                    stopAndDiscard();
                } catch (RuntimeException cleanup) {
                    log.warn("Cleaning up the failed rebuild of {} failed", name, cleanup);
                }
                finish("FAILED", String.valueOf(e.getMessage()));
                count(name, "failed");
            } finally {
                try {
                    unlock(lock, lockKey(name));
                } catch (SQLException e) {
                    log.warn("Releasing the rebuild lock of {} failed", name, e);
                }
                finished.countDown();
            }
        }

        private void finish(String outcome, String why) {
            finishedAt = Instant.now();
            message = why;
            state = outcome;
        }

        private TrackingEventProcessor processor() {
            ListenerInvocationErrorHandler recording = (exception, event, handler) -> {
                handlerError = exception;
                throw exception;
            };
            var redirect = target.redirect();
            AtomicInteger threads = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(redirect == null ? r : () -> redirect.runWith(r),
                        "apim-rebuild-" + target.name() + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            TrackingEventProcessor built = TrackingEventProcessor.builder()
                    .name(processorName)
                    .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                            .eventHandlers(target.handlers())
                            .listenerInvocationErrorHandler(recording)
                            .build())
                    .messageSource(axon.eventSource().get())
                    .tokenStore(axon.tokenStore().get())
                    .transactionManager(axon.transactionManager().get())
                    .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration
                            .forSingleThreadedProcessing()
                            .andInitialSegmentsCount(1)
                            .andBatchSize(batchSize)
                            .andThreadFactory(n -> factory))
                    .build();
            if (target.bufferWrites() && bufferWrites) {
                built.registerHandlerInterceptor(new BufferedBatchWrites(target.handlers()));
            }
            return built;
        }

        private void stopAndDiscard() {
            if (processor != null) {
                processor.shutDown();
            }
            jdbc.update("DELETE FROM event_store.token_entry WHERE processor_name = ?", processorName);
            target.discard();
        }

        private void switchOver() {
            state = "SWITCHING";
            String name = target.name();
            Optional<EventProcessor> live = axon.processing().get().eventProcessor(name);
            boolean restart = live.map(EventProcessor::isRunning).orElse(false);
            live.filter(p -> restart).ifPresent(EventProcessor::shutDown);
            processor.shutDown();
            try {
                transactions.executeWithoutResult(tx -> {
                    List<Map<String, Object>> token = jdbc.queryForList("SELECT token, token_type FROM "
                            + "event_store.token_entry WHERE processor_name = ? AND segment = 0", processorName);
                    if (token.isEmpty()) {
                        throw new IllegalStateException("The rebuild processor stored no token");
                    }
                    Object value = token.get(0).get("token");
                    Object type = token.get(0).get("token_type");
                    String now = DateTimeUtils.formatInstant(Instant.now());
                    List<Integer> segments = jdbc.queryForList("SELECT segment FROM event_store.token_entry "
                            + "WHERE processor_name = ? FOR UPDATE", Integer.class, name);
                    if (segments.isEmpty()) {
                        jdbc.update("INSERT INTO event_store.token_entry (processor_name, segment, token, token_type, "
                                + "timestamp, owner) VALUES (?, 0, ?, ?, ?, NULL)", name, value, type, now);
                    } else {
                        jdbc.update("UPDATE event_store.token_entry SET token = ?, token_type = ?, timestamp = ?, "
                                + "owner = NULL WHERE processor_name = ?", value, type, now, name);
                    }
                    jdbc.update("DELETE FROM event_store.token_entry WHERE processor_name = ?", processorName);
                    jdbc.update("DELETE FROM event_store.dead_letter_entry WHERE processing_group = ?", name);
                    target.swap(jdbc);
                });
                try {
                    transactions.executeWithoutResult(tx -> target.afterSwap(jdbc));
                } catch (RuntimeException e) {
                    log.warn("Rebuild of {} switched, but removing the old copy failed", name, e);
                }
            } finally {
                live.filter(p -> restart).ifPresent(EventProcessor::start);
            }
        }
    }

    /** No such projection (404). */
    public static final class UnknownProjectionException extends RuntimeException {
        public UnknownProjectionException(String name) {
            super("No projection named '" + name + "'");
        }
    }

    /** A rebuild of that projection is running here or on another node (409). */
    public static final class RebuildRunningException extends RuntimeException {
        public RebuildRunningException(String name) {
            super("A rebuild of '" + name + "' is already running");
        }
    }
}
