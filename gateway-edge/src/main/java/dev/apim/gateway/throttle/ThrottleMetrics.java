package dev.apim.gateway.throttle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.BooleanSupplier;

/**
 * The throttler's meters, registered once so the request path only increments:
 * {@code apim.gateway.throttle.admitted{degraded}}, {@code apim.gateway.throttle.rejected{level,degraded}},
 * {@code apim.gateway.throttle.degraded} (decisions taken without Redis), {@code apim.gateway.throttle.redis.errors}
 * (failed or late Redis calls, probes included), {@code apim.gateway.throttle.redis.calls} (script calls sent, one
 * per micro-batch) and the gauge {@code apim.gateway.throttle.redis.available}
 * (1 when decisions go to Redis, 0 while the node is degraded).
 */
final class ThrottleMetrics {

    private final Counter admitted;
    private final Counter admittedDegraded;
    private final Counter[] rejected;
    private final Counter[] rejectedDegraded;
    private final Counter degraded;
    private final Counter redisErrors;
    private final Counter redisCalls;

    ThrottleMetrics(MeterRegistry registry, BooleanSupplier redisAvailable) {
        admitted = admitted(registry, false);
        admittedDegraded = admitted(registry, true);
        ThrottleCounter.Level[] levels = ThrottleCounter.Level.values();
        rejected = new Counter[levels.length];
        rejectedDegraded = new Counter[levels.length];
        for (ThrottleCounter.Level level : levels) {
            rejected[level.ordinal()] = rejected(registry, level, false);
            rejectedDegraded[level.ordinal()] = rejected(registry, level, true);
        }
        degraded = Counter.builder("apim.gateway.throttle.degraded")
                .description("Throttling decisions taken without Redis (local limiter, fail-open or fail-closed)")
                .register(registry);
        redisErrors = Counter.builder("apim.gateway.throttle.redis.errors")
                .description("Throttling calls to Redis that failed or did not answer in time")
                .register(registry);
        redisCalls = Counter.builder("apim.gateway.throttle.redis.calls")
                .description("Script calls sent to Redis (one per batch of requests; decisions / calls = batch size)")
                .register(registry);
        Gauge.builder("apim.gateway.throttle.redis.available", redisAvailable, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 while throttling decisions are taken in Redis, 0 while this node is degraded")
                .strongReference(true) // the supplier is a method reference nothing else holds: keep it from GC
                .register(registry);
    }

    private static Counter admitted(MeterRegistry registry, boolean degraded) {
        return Counter.builder("apim.gateway.throttle.admitted")
                .description("Requests the throttler admitted")
                .tag("degraded", Boolean.toString(degraded))
                .register(registry);
    }

    private static Counter rejected(MeterRegistry registry, ThrottleCounter.Level level, boolean degraded) {
        return Counter.builder("apim.gateway.throttle.rejected")
                .description("Requests the throttler refused, by the level of the refusing counter")
                .tag("level", level.name())
                .tag("degraded", Boolean.toString(degraded))
                .register(registry);
    }

    void record(ThrottleDecision decision) {
        if (decision.degraded()) {
            degraded.increment();
        }
        if (decision.admitted()) {
            (decision.degraded() ? admittedDegraded : admitted).increment();
        } else {
            int level = decision.rejectedBy().ordinal();
            (decision.degraded() ? rejectedDegraded : rejected)[level].increment();
        }
    }

    void redisCall() {
        redisCalls.increment();
    }

    void redisError() {
        redisErrors.increment();
    }
}
