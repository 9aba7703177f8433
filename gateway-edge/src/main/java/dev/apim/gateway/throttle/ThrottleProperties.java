package dev.apim.gateway.throttle;

import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties("apim.gateway.throttle")
public record ThrottleProperties(
        @DefaultValue("local") RedisDown redisDown,
        @DefaultValue("1") int nodes,
        @DefaultValue("50ms") Duration redisTimeout,
        @DefaultValue("100ms") Duration probeMinBackoff,
        @DefaultValue("5s") Duration probeMaxBackoff,
        @DefaultValue("1s") Duration probeTimeout) {

    /** The behaviour while Redis is unreachable. */
    public enum RedisDown {
        LOCAL, OPEN, CLOSED
    }

    public ThrottleProperties {
        if (redisDown == null) {
            throw new IllegalArgumentException("apim.gateway.throttle.redis-down must be local, open or closed");
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("apim.gateway.throttle.nodes must be at least 1");
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
