package dev.apim.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisMaster;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

class EmbeddedRedisServerTest {

    @TempDir
    Path dataDirectory;

    @Test
    void answersPingAndKeepsKeysAcrossRestart() throws Exception {
        int firstPort;
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(dataDirectory)) {
            firstPort = redis.port();
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            RedissonClient client = redisson(redis);
            try {
                RedisMaster server = client.getRedisNodes(RedisNodes.SINGLE).getInstance();
                assertThat(server.ping()).isTrue();
                client.getBucket("apim:test", StringCodec.INSTANCE).set("survives");
                assertThat(server.getConfig("bind")).containsEntry("bind", "127.0.0.1");
                assertThat(server.getConfig("appendonly")).containsEntry("appendonly", "yes");
                assertThat(server.getConfig("dir")).containsEntry("dir", dataDirectory.toRealPath().toString());
            } finally {
                client.shutdown();
            }
        }
        assertThat(dataDirectory.resolve("appendonly.aof")).exists();
        assertThat(dataDirectory.resolve("redis.pid")).doesNotExist();

        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(dataDirectory)) {
            RedissonClient client = redisson(redis);
            try {
                assertThat(client.<String>getBucket("apim:test", StringCodec.INSTANCE).get()).isEqualTo("survives");
            } finally {
                client.shutdown();
            }
            assertThat(redis.port()).isPositive();
            assertThat(firstPort).isPositive();
        }
    }

    @Test
    void servesRedisson() {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(dataDirectory)) {
            RedissonClient client = redisson(redis);
            try {
                client.getBucket("apim:redisson").set("value");
                assertThat(client.<String>getBucket("apim:redisson").get()).isEqualTo("value");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void refusesADirectoryInUseAndCleansAStalePidFile() throws Exception {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(dataDirectory)) {
            assertThatThrownBy(() -> EmbeddedRedisServer.start(dataDirectory))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
            assertThat(redis.port()).isPositive();
        }
        // a pid file naming a process that is not a redis-server (here: this JVM's parent or a dead pid)
        Files.writeString(dataDirectory.resolve("redis.pid"), "999999999\n");
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(dataDirectory)) {
            RedissonClient client = redisson(redis);
            try {
                assertThat(client.getRedisNodes(RedisNodes.SINGLE).pingAll()).isTrue();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void quotesConfigValues() {
        assertThat(EmbeddedRedisServer.quote("/tmp/a \"b\"\\c")).isEqualTo("\"/tmp/a \\\"b\\\"\\\\c\"");
    }

    private static RedissonClient redisson(EmbeddedRedisServer redis) {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri()).setConnectionMinimumIdleSize(1).setConnectionPoolSize(2)
                .setSubscriptionConnectionMinimumIdleSize(0);
        return Redisson.create(config);
    }
}
