package dev.apim.platform.broadcast;

import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.config.ApimProperties;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The broadcast stream and the internal key ({@code apim.internal.key}), for the nodes that publish and serve the
 * internal data (Traffic Manager) or follow and read them (gateways).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole({Roles.TRAFFICMANAGER, Roles.GATEWAY})
public class BroadcastStreamConfiguration {

    @Bean
    public BroadcastStream broadcastStream(RedissonClient redisson, BroadcastProperties properties) {
        return new BroadcastStream(redisson, properties);
    }

    @Bean
    public InternalKey internalKey(@Value("${apim.internal.key:}") String configured, ApimProperties properties) {
        return InternalKey.resolve(configured, properties.dataDir());
    }
}
