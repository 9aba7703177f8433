package dev.apim.gateway.state;

import dev.apim.platform.broadcast.BroadcastNotification;
import dev.apim.platform.broadcast.BroadcastStream;
import dev.apim.platform.broadcast.InternalData;
import dev.apim.platform.broadcast.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@link GatewayState} current: bootstraps it from the internal data endpoints, then follows the broadcast
 * stream from the entry the snapshot reflects, applying notifications in stream order on its own thread. Family
 * notifications re-read their entity ({@code minIndex} = the notification's index); revocations apply as they are.
 * Each entry's sequence number must be the previous one plus one: a jump means entries were trimmed before this
 * gateway read them (it fell behind the cap) or the stream was reset, and the gateway re-bootstraps. A failed
 * re-read leaves the position where it was and is retried, so no notification is skipped.
 */
public class BroadcastFollower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BroadcastFollower.class);

    private final BroadcastStream stream;
    private final GatewayBootstrap bootstrap;
    private final GatewayState state;
    private final Settings settings;

    private final AtomicLong bootstraps = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private volatile CountDownLatch bootstrapped = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean following;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /**
     * @param batch        entries read per round trip
     * @param pollTimeout  how long one read waits for new entries
     * @param retryDelay   the pause after a failure (Traffic Manager or Redis unreachable)
     * @param autoStartup  whether it starts with the application
     */
    public record Settings(int batch, Duration pollTimeout, Duration retryDelay, boolean autoStartup) {}

    // the follower thread's own position
    private StreamPosition position;
    private long lastSequence;
    private long snapshotIndex;
    private boolean needBootstrap = true;
    private long bootstrapMinIndex;

    public BroadcastFollower(BroadcastStream stream, GatewayBootstrap bootstrap, GatewayState state, Settings settings) {
        this.stream = stream;
        this.bootstrap = bootstrap;
        this.state = state;
        this.settings = settings;
    }

    // ---- lifecycle ----

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, "gateway-broadcast-follower");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        following = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return settings.autoStartup();
    }

    /** After the web server: an all-in-one node's gateway reads its own listener. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    // ---- what health and metrics read ----

    /** The event index the state reflects. */
    public long index() {
        return state.index();
    }

    /** How many indexes the state is behind the newest notification published (reads Redis). */
    public long lag() {
        return Math.max(0, stream.lastPublishedIndex() - state.index());
    }

    /** True once bootstrapped and while reading the stream without error. */
    public boolean isFollowing() {
        return following;
    }

    public long bootstraps() {
        return bootstraps.get();
    }

    /** Sequence jumps seen (each caused a re-bootstrap). */
    public long gapsDetected() {
        return gaps.get();
    }

    public long notificationsApplied() {
        return applied.get();
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }

    /** Waits until the first bootstrap completed; false on timeout. */
    public boolean awaitBootstrap(Duration timeout) throws InterruptedException {
        return bootstrapped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- the loop ----

    private void run() {
        while (running) {
            try {
                if (needBootstrap) {
                    doBootstrap();
                    continue;
                }
                List<BroadcastStream.Entry> entries = stream.read(position, settings.batch(), settings.pollTimeout());
                if (entries.isEmpty() && stream.lastPublishedIndex() < position.index()) {
                    // the stream restarted below this position (Redis emptied, or a new event store): nothing
                    // would ever be read after it
                    log.warn("Broadcast stream was reset below position {}: re-bootstrapping", position);
                    gaps.incrementAndGet();
                    needBootstrap = true;
                    bootstrapMinIndex = 0;
                    following = false;
                    continue;
                }
                for (BroadcastStream.Entry entry : entries) {
                    if (!running) {
                        return;
                    }
                    if (entry.sequence() != lastSequence + 1) {
                        gaps.incrementAndGet();
                        log.warn("Broadcast stream: expected sequence {} but read {} at {}; entries were missed "
                                + "(behind the stream's cap, or the stream was reset): re-bootstrapping",
                                lastSequence + 1, entry.sequence(), entry.position());
                        needBootstrap = true;
                        bootstrapMinIndex = state.index();
                        following = false;
                        break;
                    }
                    if (entry.position().compareTo(StreamPosition.afterIndex(snapshotIndex)) > 0
                            && entry.notification() != null) {
                        apply(entry.notification());
                        applied.incrementAndGet();
                        state.advanceTo(entry.position().index());
                    }
                    position = entry.position();
                    lastSequence = entry.sequence();
                }
                following = !needBootstrap;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                following = false;
                lastError = e.toString();
                lastErrorAt = Instant.now();
                log.warn("Broadcast follower: {} (retrying in {})", e.toString(), settings.retryDelay());
                if (!sleep(settings.retryDelay())) {
                    return;
                }
            }
        }
    }

    private void doBootstrap() {
        long index = bootstrap.bootstrap(bootstrapMinIndex);
        BroadcastStream.Start start = stream.startAfter(index);
        if (start.tooOld()) {
            // the stream no longer reaches back to the snapshot: take a snapshot at least as new as its oldest entry
            log.info("Broadcast stream starts after snapshot index {}; bootstrapping again from index {}",
                    index, start.position().index());
            bootstrapMinIndex = start.position().index();
            if (!sleep(Duration.ofMillis(50))) {
                return;
            }
            return;
        }
        position = start.position();
        lastSequence = start.sequence();
        snapshotIndex = index;
        needBootstrap = false;
        following = true;
        bootstraps.incrementAndGet();
        bootstrapped.countDown();
        log.info("Gateway state bootstrapped for environment '{}' at event index {}; following the broadcast stream "
                + "after {} (sequence {})", bootstrap.environment(), index, position, lastSequence);
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Applies one notification (re-reading its entity when it names one). */
    void apply(BroadcastNotification n) {
        InternalDataClient client = bootstrap.client();
        long min = n.index();
        String env = bootstrap.environment();
        switch (n.type().family()) {
            case API -> {
                if (n.type() == dev.apim.platform.broadcast.NotificationType.API_DELETE) {
                    state.removeApi(n.id());
                    return;
                }
                String environments = n.data("environments");
                if (environments != null && Arrays.stream(environments.split(",")).noneMatch(env::equals)) {
                    return; // another environment's deployment
                }
                InternalData.One<InternalData.ApiItem> one = fresh(() -> client.api(env, n.id(), min), min);
                if (one.item() == null) {
                    state.removeApi(n.id());
                } else {
                    state.putApi(WireMapping.api(one.item()));
                }
            }
            case APPLICATION -> {
                var one = fresh(() -> client.application(n.id(), min), min);
                if (one.item() == null) {
                    state.removeApplication(n.id());
                } else {
                    state.putApplication(WireMapping.application(one.item()));
                }
            }
            case SUBSCRIPTION -> {
                var one = fresh(() -> client.subscription(n.id(), min), min);
                if (one.item() == null) {
                    state.removeSubscription(n.id());
                } else {
                    state.putSubscription(WireMapping.subscription(one.item()));
                }
            }
            case KEY_MAPPING -> {
                var one = fresh(() -> client.keyMapping(n.id(), min), min);
                if (one.item() == null) {
                    state.removeKeyMapping(n.id());
                } else {
                    state.putKeyMapping(WireMapping.keyMapping(one.item()));
                }
            }
            case POLICY -> {
                var one = fresh(() -> client.policy(n.id(), min), min);
                if (one.item() == null) {
                    state.removePolicy(n.id());
                } else {
                    state.putPolicy(n.id(), WireMapping.policy(one.item()));
                }
            }
            case BLOCK_CONDITION -> {
                var one = fresh(() -> client.blockCondition(n.id(), min), min);
                if (one.item() == null) {
                    state.removeBlockCondition(n.id());
                } else {
                    state.putBlockCondition(WireMapping.blockCondition(one.item()));
                }
            }
            case REVOCATION -> {
                if (n.type() == dev.apim.platform.broadcast.NotificationType.TOKEN_REVOCATION) {
                    String expiresAt = n.data("expiresAt");
                    state.revokeToken(n.id(), expiresAt == null ? null : Instant.parse(expiresAt));
                } else {
                    state.revokeIssuedBefore(n.id(), Instant.parse(n.data("issuedBefore")));
                }
            }
        }
    }

    /**
     * Re-reads until the answer reflects the notification's index (the endpoint waits a bounded time for the read
     * model; a few more tries cover a slow projection), then takes what it got: a later notification re-reads again.
     */
    private <T> InternalData.One<T> fresh(java.util.function.Supplier<InternalData.One<T>> read, long minIndex) {
        InternalData.One<T> one = read.get();
        for (int attempt = 0; attempt < 3 && one.index() < minIndex && running; attempt++) {
            one = read.get();
        }
        if (one.index() < minIndex) {
            log.warn("The internal data endpoints still reflect index {} < {}; applying what they answered",
                    one.index(), minIndex);
        }
        return one;
    }
}
