package dev.apim.gateway;

import dev.apim.gateway.throttle.ThrottleCounter;
import dev.apim.gateway.throttle.ThrottleDecision;
import dev.apim.gateway.throttle.Throttler;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test fixture: fixed-window counters in memory, all-or-nothing like the Redis script. Records what it was asked. */
final class InMemoryThrottler implements Throttler {

    private record Window(long start, long count) {}

    private final Map<String, Window> windows = new HashMap<>();
    final List<List<ThrottleCounter>> calls = new CopyOnWriteArrayList<>();

    @Override
    public synchronized Mono<ThrottleDecision> acquire(List<ThrottleCounter> counters) {
        calls.add(List.copyOf(counters));
        long now = System.currentTimeMillis();
        ThrottleCounter tightest = null;
        long tightestRemaining = Long.MAX_VALUE;
        long tightestStart = 0;
        for (ThrottleCounter c : counters) {
            long w = c.window().toMillis();
            long start = now - now % w;
            Window current = windows.get(c.key());
            long count = current == null || current.start() != start ? 0 : current.count();
            if (count + c.cost() > c.limit()) {
                Instant reset = Instant.ofEpochMilli(start + w);
                return Mono.just(new ThrottleDecision(false, c.level(), c.limit(), 0, reset,
                        Duration.ofMillis(start + w - now), false));
            }
            long remaining = c.limit() - count - c.cost();
            if (remaining < tightestRemaining) {
                tightest = c;
                tightestRemaining = remaining;
                tightestStart = start;
            }
        }
        for (ThrottleCounter c : counters) {
            long w = c.window().toMillis();
            long start = now - now % w;
            Window current = windows.get(c.key());
            long count = current == null || current.start() != start ? 0 : current.count();
            windows.put(c.key(), new Window(start, count + c.cost()));
        }
        if (tightest == null) {
            return Mono.just(ThrottleDecision.unlimited());
        }
        return Mono.just(new ThrottleDecision(true, null, tightest.limit(), tightestRemaining,
                Instant.ofEpochMilli(tightestStart + tightest.window().toMillis()), null, false));
    }
}
