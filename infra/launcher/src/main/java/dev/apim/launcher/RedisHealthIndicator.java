package dev.apim.launcher;

import dev.apim.platform.redis.RedisConfiguration;
import org.redisson.api.RedissonClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** Reports whether this node's Redis answers (throttling counters and the broadcast stream live there). */
@Component("redis")
public class RedisHealthIndicator extends AbstractHealthIndicator {

    private final RedissonClient redisson;
    private final RedisConfiguration.RedisEndpoint endpoint;

    public RedisHealthIndicator(RedissonClient redisson, RedisConfiguration.RedisEndpoint endpoint) {
        super("Redis health check failed");
        this.redisson = redisson;
        this.endpoint = endpoint;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long keys = redisson.getKeys().count();
        builder.up().withDetail("address", endpoint.uri().replaceAll("//[^@/]*@", "//***@")).withDetail("keys", keys);
    }
}
