package dev.apim.gateway.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Micrometer meters: {@code apim.gateway.requests} (timer, tagged {@code status} and {@code outcome}:
 * {@code proxied}, {@code refused}, {@code throttled}, {@code backend_error}), {@code apim.gateway.throttle.errors}
 * (the throttler failed and the call was let through), {@code apim.gateway.analytics.dropped} and
 * {@code apim.gateway.analytics.buffered}.
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Long, Timer> timers = new ConcurrentHashMap<>();
    private final Counter throttleErrors;

    public GatewayMetrics(MeterRegistry registry, BoundedAnalyticsSink sink) {
        this.registry = registry;
        this.throttleErrors = Counter.builder("apim.gateway.throttle.errors")
                .description("Calls let through because the throttler failed").register(registry);
        FunctionCounter.builder("apim.gateway.analytics.dropped", sink, BoundedAnalyticsSink::dropped)
                .description("Analytics events dropped because the buffer was full").register(registry);
        Gauge.builder("apim.gateway.analytics.buffered", sink, BoundedAnalyticsSink::size)
                .description("Analytics events waiting for the publisher").register(registry);
    }

    public void record(String outcome, int status, long nanos) {
        long key = ((long) outcome.hashCode() << 32) | (status & 0xffffffffL);
        Timer timer = timers.computeIfAbsent(key, k -> Timer.builder("apim.gateway.requests")
                .description("Calls through the gateway")
                .tag("outcome", outcome)
                .tag("status", Integer.toString(status))
                .register(registry));
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void throttleError() {
        throttleErrors.increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
