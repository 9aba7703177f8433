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
 * The node's Redis (throttling counters, broadcast stream, login throttle, segment balancing): a standalone server,
 * Sentinel-monitored master or Redis Cluster ({@code apim.redis.mode}), or an embedded one under
 * {@code apim.data-dir} when standalone mode has no URL.
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

    /**
     * The Redis this node uses: its mode and addresses (the standalone URL, the sentinels or the cluster's seed
     * nodes), as shown by health.
     */
    public record RedisEndpoint(String mode, java.util.List<String> addresses) {
        public RedisEndpoint(String uri) {
            this("standalone", java.util.List.of(uri));
        }

        /** The first address (the standalone URL). */
        public String uri() {
            return addresses.get(0);
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedRedis embeddedRedis(ApimProperties properties) {
        if (!properties.redis().embedded()) {
            return new EmbeddedRedis(null);
        }
        var dir = properties.dataDir().resolve("redis").toAbsolutePath();
        log.info("No apim.redis.url (APIM_REDIS_URL) configured: starting embedded Redis with data in {}", dir);
        return new EmbeddedRedis(EmbeddedRedisServer.start(dir));
    }

    @Bean
    public RedisEndpoint redisEndpoint(ApimProperties properties, EmbeddedRedis embedded) {
        if (embedded.server() != null) {
            return new RedisEndpoint(embedded.server().uri());
        }
        ApimProperties.Redis redis = properties.redis();
        return redis.mode().equals("standalone") ? new RedisEndpoint(redis.url())
                : new RedisEndpoint(redis.mode(), redis.nodes());
    }

    @Bean(destroyMethod = "shutdown")
    public RedissonClient redissonClient(RedisEndpoint endpoint, ApimProperties properties) {
        return Redisson.create(redissonConfig(endpoint, properties.redis()));
    }

    /**
     * Redisson's configuration for the mode. Sized to the machine: its defaults (32 Netty I/O threads, 16 callback
     * threads) are made for large hosts and, on a 2-core node, cost the gateway's hot path (one script per request)
     * in context switches. Sentinel: Redisson follows the sentinels to the current master (a failover moves the
     * connections); reads go to the master too, so counters and the broadcast stream are read where they are
     * written. Cluster: Redisson learns the slot map from the seed nodes, follows MOVED/ASK and rescans the
     * topology every second; every multi-key script keeps its keys in one slot (hash tags, see architecture.md).
     */
    public static Config redissonConfig(RedisEndpoint endpoint, ApimProperties.Redis redis) {
        int cores = Runtime.getRuntime().availableProcessors();
        Config config = new Config();
        config.setNettyThreads(Math.max(2, cores * 2));
        config.setThreads(Math.max(2, cores));
        String username = blankToNull(redis.username());
        String password = blankToNull(redis.password());
        java.net.URL trustStore = trustStore(redis.trustStore());
        String trustStorePassword = blankToNull(redis.trustStorePassword());
        switch (endpoint.mode()) {
            case "sentinel" -> {
                var sentinel = config.useSentinelServers().setMasterName(redis.masterName().trim())
                        .setReadMode(org.redisson.config.ReadMode.MASTER)
                        .setDatabase(redis.database())
                        .setMasterConnectionMinimumIdleSize(8).setMasterConnectionPoolSize(64)
                        .setCheckSentinelsList(endpoint.addresses().size() > 1);
                endpoint.addresses().forEach(sentinel::addSentinelAddress);
                sentinel.setUsername(username).setPassword(password);
                if (trustStore != null) {
                    sentinel.setSslTruststore(trustStore).setSslTruststorePassword(trustStorePassword);
                }
            }
            case "cluster" -> {
                var cluster = config.useClusterServers()
                        .setReadMode(org.redisson.config.ReadMode.MASTER)
                        .setScanInterval(1000)
                        .setMasterConnectionMinimumIdleSize(8).setMasterConnectionPoolSize(64);
                endpoint.addresses().forEach(cluster::addNodeAddress);
                cluster.setUsername(username).setPassword(password);
                if (trustStore != null) {
                    cluster.setSslTruststore(trustStore).setSslTruststorePassword(trustStorePassword);
                }
            }
            default -> {
                var single = config.useSingleServer().setAddress(endpoint.uri()).setDatabase(redis.database())
                        .setConnectionMinimumIdleSize(8).setConnectionPoolSize(64);
                if (username != null) {
                    single.setUsername(username);
                }
                if (password != null) {
                    single.setPassword(password);
                }
                if (trustStore != null) {
                    single.setSslTruststore(trustStore).setSslTruststorePassword(trustStorePassword);
                }
            }
        }
        return config;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static java.net.URL trustStore(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        try {
            return java.nio.file.Path.of(path).toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("apim.redis.trust-store: " + e.getMessage());
        }
    }
}
