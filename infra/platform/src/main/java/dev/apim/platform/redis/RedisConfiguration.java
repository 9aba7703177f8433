package dev.apim.platform.redis;

import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.embedded.EmbeddedRedisServer;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's Redis (throttling counters, broadcast stream): the configured server, or an embedded one under
 * {@code apim.data-dir} when none is configured.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RedisConfiguration.class);

    /** Holds the embedded server, if one was started, so it stops with the context. */
    public record EmbeddedRedis(EmbeddedRedisServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The Redis address this node uses. */
    public record RedisEndpoint(String uri) {}

    @Bean(destroyMethod = "close")
    public EmbeddedRedis embeddedRedis(ApimProperties properties) {
        if (properties.redis().url() != null && !properties.redis().url().isBlank()) {
            return new EmbeddedRedis(null);
        }
        var dir = properties.dataDir().resolve("redis").toAbsolutePath();
        log.info("No apim.redis.url (APIM_REDIS_URL) configured: starting embedded Redis with data in {}", dir);
        return new EmbeddedRedis(EmbeddedRedisServer.start(dir));
    }

    @Bean
    public RedisEndpoint redisEndpoint(ApimProperties properties, EmbeddedRedis embedded) {
        String uri = embedded.server() != null ? embedded.server().uri() : properties.redis().url();
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            throw new IllegalArgumentException("apim.redis.url must start with redis:// or rediss://");
        }
        return new RedisEndpoint(uri);
    }

    /**
     * Redisson sized to the machine: its defaults (32 Netty I/O threads, 16 callback threads) are made for large
     * hosts and, on a 2-core node, cost the gateway's hot path (one script per request) in context switches.
     */
    @Bean(destroyMethod = "shutdown")
    public RedissonClient redissonClient(RedisEndpoint endpoint) {
        int cores = Runtime.getRuntime().availableProcessors();
        Config config = new Config();
        config.setNettyThreads(Math.max(2, cores * 2));
        config.setThreads(Math.max(2, cores));
        config.useSingleServer().setAddress(endpoint.uri()).setConnectionMinimumIdleSize(8)
                .setConnectionPoolSize(64);
        return Redisson.create(config);
    }
}
