package dev.apim.platform.broadcast;

import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import org.redisson.api.RedissonClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broadcast stream, for the nodes that publish (Traffic Manager) or follow it (gateways). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole({Roles.TRAFFICMANAGER, Roles.GATEWAY})
public class BroadcastStreamConfiguration {

    @Bean
    public BroadcastStream broadcastStream(RedissonClient redisson, BroadcastProperties properties) {
        return new BroadcastStream(redisson, properties);
    }
}
