package dev.apim.gateway.throttle;

import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A per-node limiter with the same window algorithm as {@link RedisThrottler} (fixed windows aligned on the epoch,
 * {@code [k·window, (k+1)·window)}), on this node's clock, for when Redis does not answer. Each counter admits
 * {@code max(1, limit / nodes)} per window ({@code 0} stays {@code 0}), so {@code nodes} nodes together admit at
 * most the limit (or one request per node where the limit is smaller than the node count: a degraded gateway
 * prefers to serve). All counters of a request are checked and incremented under one lock, all or nothing.
 * Every decision is marked {@code degraded}.
 */
public class LocalThrottler implements Throttler {

    private static final long SWEEP_INTERVAL_MS = 1_000;

    private final int nodes;
    private final LongSupplier clock;
    private final Map<String, Slot> slots = new HashMap<>();
    private long nextSweep;

    /** One counter's current window on this node. */
    private static final class Slot {
        long window;
        long end;
        long used;
    }

    public LocalThrottler(int nodes) {
        this(nodes, System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds */
    public LocalThrottler(int nodes, LongSupplier clock) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1");
        }
        this.nodes = nodes;
        this.clock = clock;
    }

    @Override
    public Mono<ThrottleDecision> acquire(List<ThrottleCounter> counters) {
        return Mono.fromSupplier(() -> decide(counters));
    }

    /** This node's share of a limit. */
    long share(long limit) {
        return limit == 0 ? 0 : Math.max(1, limit / nodes);
    }

    /** Decides at once (no I/O): used directly by {@link RedisThrottler} while Redis is down. */
    public ThrottleDecision decide(List<ThrottleCounter> counters) {
        if (counters.isEmpty()) {
            return ThrottleDecision.unlimited();
        }
        int size = counters.size();
        synchronized (this) {
            long now = clock.getAsLong();
            sweep(now);
            Slot[] current = new Slot[size];
            int rejected = -1;
            long latestReset = 0;
            for (int i = 0; i < size; i++) {
                ThrottleCounter counter = counters.get(i);
                long windowMs = counter.window().toMillis();
                long window = Math.floorDiv(now, windowMs);
                Slot slot = slots.computeIfAbsent(counter.key() + '|' + windowMs, k -> new Slot());
                if (slot.window != window || slot.end == 0) {
                    slot.window = window;
                    slot.end = (window + 1) * windowMs;
                    slot.used = 0;
                }
                current[i] = slot;
                if (slot.used + counter.cost() > share(counter.limit())) {
                    if (rejected < 0) {
                        rejected = i;
                    }
                    latestReset = Math.max(latestReset, slot.end);
                }
            }
            if (rejected >= 0) {
                ThrottleCounter counter = counters.get(rejected);
                Slot slot = current[rejected];
                long limit = share(counter.limit());
                return new ThrottleDecision(false, counter.level(), limit, Math.max(0, limit - slot.used),
                        Instant.ofEpochMilli(slot.end), Duration.ofMillis(latestReset - now), true);
            }
            int tightest = 0;
            long leastRemaining = Long.MAX_VALUE;
            for (int i = 0; i < size; i++) {
                ThrottleCounter counter = counters.get(i);
                Slot slot = current[i];
                slot.used += counter.cost();
                long remaining = share(counter.limit()) - slot.used;
                if (remaining < leastRemaining) {
                    leastRemaining = remaining;
                    tightest = i;
                }
            }
            return new ThrottleDecision(true, null, share(counters.get(tightest).limit()), leastRemaining,
                    Instant.ofEpochMilli(current[tightest].end), null, true);
        }
    }

    /** Forgets windows that have ended, at most once a second. */
    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_INTERVAL_MS;
        for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
            if (it.next().end <= now) {
                it.remove();
            }
        }
    }
}
