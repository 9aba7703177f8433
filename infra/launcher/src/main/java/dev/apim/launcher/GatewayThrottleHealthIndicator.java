package dev.apim.launcher;

import dev.apim.gateway.throttle.RedisThrottler;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The gateway's throttling: UP on Redis; while Redis does not answer the gateway keeps serving with its per-node
 * local limiter, reported as {@code DEGRADED} (a custom status, mapped to HTTP 200 so a load balancer keeps the
 * node) with the time it started.
 */
@Component("gatewayThrottling")
@ConditionalOnRole(Roles.GATEWAY)
public class GatewayThrottleHealthIndicator extends AbstractHealthIndicator {

    private final RedisThrottler throttler;

    public GatewayThrottleHealthIndicator(RedisThrottler throttler) {
        super("Gateway throttling health check failed");
        this.throttler = throttler;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (throttler.isRedisAvailable()) {
            builder.up().withDetail("mode", "redis");
            return;
        }
        Instant since = throttler.degradedSince();
        builder.status("DEGRADED").withDetail("mode", "local fallback (Redis unreachable)")
                .withDetail("since", since == null ? "unknown" : since.toString());
    }
}
