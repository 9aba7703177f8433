package dev.apim.gateway.throttle;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The gateway's throttler ({@code apim.gateway.throttle.*}).
 *
 * @param redisDown       what a node does while Redis does not answer: {@code local} (a per-node limiter with
 *                        {@code limit / nodes} of every counter), {@code open} (admit everything) or
 *                        {@code closed} (refuse everything)
 * @param nodes           how many gateway nodes share the limits, for the per-node share in {@code local} mode
 * @param redisTimeout    the longest a request waits for Redis before the node goes degraded
 * @param probeMinBackoff the first wait before asking a silent Redis again; doubled after each failed probe
 * @param probeMaxBackoff the longest wait between two probes
 * @param probeTimeout    the longest a probe waits for Redis (a reconnect may take longer than a request may)
 * @param batchInFlight   how many script calls one node keeps in flight to Redis; requests that arrive while that
 *                        many are under way wait and go together in the next call (micro-batching, see
 *                        {@link RedisThrottler}); 1 batches the most, and costs the least CPU per request
 * @param batchMax        the most requests one script call evaluates
 */
@ConfigurationProperties("apim.gateway.throttle")
public record ThrottleProperties(
        @DefaultValue("local") RedisDown redisDown,
        @DefaultValue("1") int nodes,
        @DefaultValue("50ms") Duration redisTimeout,
        @DefaultValue("100ms") Duration probeMinBackoff,
        @DefaultValue("5s") Duration probeMaxBackoff,
        @DefaultValue("1s") Duration probeTimeout,
        @DefaultValue("1") int batchInFlight,
        @DefaultValue("64") int batchMax) {

    /** The behaviour while Redis is unreachable. */
    public enum RedisDown {
        LOCAL, OPEN, CLOSED
    }

    @ConstructorBinding
    public ThrottleProperties {
        if (redisDown == null) {
            throw new IllegalArgumentException("apim.gateway.throttle.redis-down must be local, open or closed");
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("apim.gateway.throttle.nodes must be at least 1");
        }
        if (batchInFlight < 1 || batchInFlight > 64) {
            throw new IllegalArgumentException("apim.gateway.throttle.batch-in-flight must be between 1 and 64");
        }
        if (batchMax < 1 || batchMax > 1000) {
            throw new IllegalArgumentException("apim.gateway.throttle.batch-max must be between 1 and 1000");
        }
        requirePositive("redis-timeout", redisTimeout);
        requirePositive("probe-min-backoff", probeMinBackoff);
        requirePositive("probe-max-backoff", probeMaxBackoff);
        requirePositive("probe-timeout", probeTimeout);
        if (probeMaxBackoff.compareTo(probeMinBackoff) < 0) {
            throw new IllegalArgumentException(
                    "apim.gateway.throttle.probe-max-backoff must not be shorter than probe-min-backoff");
        }
    }

    /** The given Redis-down behaviour and timings, with the default batching (one call in flight, up to 64). */
    public ThrottleProperties(RedisDown redisDown, int nodes, Duration redisTimeout, Duration probeMinBackoff,
                              Duration probeMaxBackoff, Duration probeTimeout) {
        this(redisDown, nodes, redisTimeout, probeMinBackoff, probeMaxBackoff, probeTimeout, 1, 64);
    }

    /** The defaults, with the given Redis-down behaviour and node count. */
    public static ThrottleProperties defaults(RedisDown redisDown, int nodes) {
        return new ThrottleProperties(redisDown, nodes, Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.toMillis() < 1) {
            throw new IllegalArgumentException("apim.gateway.throttle." + name
                    + " must be a positive duration of at least 1ms");
        }
    }
}
