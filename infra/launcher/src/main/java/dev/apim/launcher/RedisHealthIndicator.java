package dev.apim.launcher;

import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.config.Roles;
import dev.apim.platform.redis.RedisConfiguration;
import org.redisson.api.RedissonClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reports whether this node's Redis answers (throttling counters and the broadcast stream live there), within
 * {@link #TIMEOUT} so a health probe never hangs on Redisson's retries. On a gateway-only node an unreachable Redis is
 * {@code DEGRADED}, not {@code DOWN}: the gateway keeps serving on its local limits and its last known state (issue 7),
 * so a probe or balancer must not take it out; every other role needs Redis to do its job and reports {@code DOWN}.
 */
@Component("redis")
public class RedisHealthIndicator extends AbstractHealthIndicator {

    private final RedissonClient redisson;
    private final RedisConfiguration.RedisEndpoint endpoint;

    static final long TIMEOUT_MS = 1000;
    private final boolean gatewayOnly;

    public RedisHealthIndicator(RedissonClient redisson, RedisConfiguration.RedisEndpoint endpoint,
                                ApimProperties properties) {
        super("Redis health check failed");
        this.redisson = redisson;
        this.endpoint = endpoint;
        this.gatewayOnly = properties.roleSet().equals(Set.of(Roles.GATEWAY));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        long keys;
        try {
            keys = redisson.getKeys().countAsync().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (!gatewayOnly) {
                throw e;
            }
            builder.status("DEGRADED").withDetail("mode", "gateway serving on local limits and its last known state")
                    .withDetail("error", e.getClass().getSimpleName());
            return;
        }
        builder.up().withDetail("address", endpoint.uri().replaceAll("//[^@/]*@", "//***@")).withDetail("keys", keys);
    }
}
