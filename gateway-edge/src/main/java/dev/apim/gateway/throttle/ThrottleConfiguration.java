package dev.apim.gateway.throttle;

import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's {@link Throttler}: shared counters in the node's Redis, a local limiter while it is down. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.GATEWAY)
public class ThrottleConfiguration {

    @Bean(destroyMethod = "close")
    public RedisThrottler throttler(RedissonClient redisson, ThrottleProperties properties,
                                    ObjectProvider<MeterRegistry> registry) {
        return new RedisThrottler(redisson, properties, registry.getIfAvailable(SimpleMeterRegistry::new));
    }
}
