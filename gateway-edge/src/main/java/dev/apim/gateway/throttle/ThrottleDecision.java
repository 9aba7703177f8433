package dev.apim.gateway.throttle;

import java.time.Duration;
import java.time.Instant;

/**
 * The answer for one request. For an admitted request, {@code limit}/{@code remaining}/{@code reset} describe the
 * most constraining counter (least remaining), for {@code X-RateLimit-*}; for a rejected one, the counter that
 * refused, and {@code retryAfter}. {@code degraded} is true when Redis was not reachable and a per-node local
 * limiter decided.
 */
public record ThrottleDecision(boolean admitted, ThrottleCounter.Level rejectedBy, long limit, long remaining,
                               Instant reset, Duration retryAfter, boolean degraded) {

    public static ThrottleDecision unlimited() {
        return new ThrottleDecision(true, null, -1, -1, null, null, false);
    }
}
