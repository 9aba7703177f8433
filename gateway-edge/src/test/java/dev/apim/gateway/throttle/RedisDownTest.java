package dev.apim.gateway.throttle;

import dev.apim.gateway.throttle.ThrottleCounter.Level;
import dev.apim.gateway.throttle.ThrottleProperties.RedisDown;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis unreachable: a client pointed at a closed port, and a real redis-server (the embedded 6.2 binary) stopped
 * and started again on the same port for the recovery.
 */
class RedisDownTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private RedissonClient client(int port) {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectionMinimumIdleSize(1)
                .setConnectTimeout(200).setTimeout(200).setRetryAttempts(0);
        RedissonClient client = Redisson.create(config);
        resources.add(client::shutdown);
        return client;
    }

    private RedisThrottler throttler(RedissonClient client, RedisDown mode, int nodes, SimpleMeterRegistry registry) {
        RedisThrottler throttler = new RedisThrottler(client, new ThrottleProperties(mode, nodes,
                Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(500)), registry);
        resources.add(throttler);
        return throttler;
    }

    private RedisServer startRedis(int port) throws IOException {
        RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        return server;
    }

    private static ThrottleCounter counter(long limit, Level level) {
        return new ThrottleCounter("sub:carbon.super:" + UUID.randomUUID(), limit, Duration.ofHours(1), 1, level);
    }

    @Test
    void local_mode_limits_each_node_to_its_share_and_says_it_is_degraded() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisThrottler throttler = throttler(client(freePort()), RedisDown.LOCAL, 2, registry);
        List<ThrottleCounter> counters = List.of(counter(4, Level.SUBSCRIPTION));

        ThrottleDecision first = throttler.acquire(counters).block();
        ThrottleDecision second = throttler.acquire(counters).block();
        ThrottleDecision third = throttler.acquire(counters).block();

        assertThat(first.admitted()).isTrue();
        assertThat(first.degraded()).isTrue();
        assertThat(first.limit()).as("half of 4 on each of 2 nodes").isEqualTo(2);
        assertThat(second.admitted()).isTrue();
        assertThat(second.remaining()).isZero();
        assertThat(third.admitted()).isFalse();
        assertThat(third.degraded()).isTrue();
        assertThat(third.rejectedBy()).isEqualTo(Level.SUBSCRIPTION);
        assertThat(third.retryAfter()).isPositive();
        assertThat(throttler.isRedisAvailable()).isFalse();
        assertThat(throttler.degradedSince()).isNotNull();
        assertThat(registry.get("apim.gateway.throttle.degraded").counter().count()).isEqualTo(3);
        assertThat(registry.get("apim.gateway.throttle.admitted").tag("degraded", "true").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("apim.gateway.throttle.rejected").tags("level", "SUBSCRIPTION", "degraded", "true")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("apim.gateway.throttle.redis.errors").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("apim.gateway.throttle.redis.available").gauge().value()).isZero();
    }

    @Test
    void open_mode_admits_everything_while_redis_is_down() throws Exception {
        RedisThrottler throttler = throttler(client(freePort()), RedisDown.OPEN, 1, new SimpleMeterRegistry());
        List<ThrottleCounter> counters = List.of(counter(1, Level.APPLICATION));

        for (int i = 0; i < 5; i++) {
            ThrottleDecision decision = throttler.acquire(counters).block();
            assertThat(decision.admitted()).isTrue();
            assertThat(decision.degraded()).isTrue();
        }
    }

    @Test
    void closed_mode_refuses_everything_while_redis_is_down() throws Exception {
        RedisThrottler throttler = throttler(client(freePort()), RedisDown.CLOSED, 1, new SimpleMeterRegistry());

        ThrottleDecision decision = throttler.acquire(List.of(counter(100, Level.API), counter(100, Level.APPLICATION)))
                .block();

        assertThat(decision.admitted()).isFalse();
        assertThat(decision.degraded()).isTrue();
        assertThat(decision.rejectedBy()).isEqualTo(Level.API);
        assertThat(decision.retryAfter()).isPositive();
    }

    @Test
    void no_counter_is_unlimited_without_asking_redis() throws Exception {
        RedisThrottler throttler = throttler(client(freePort()), RedisDown.CLOSED, 1, new SimpleMeterRegistry());

        assertThat(throttler.acquire(List.of()).block()).isEqualTo(ThrottleDecision.unlimited());
        assertThat(throttler.isRedisAvailable()).isTrue();
    }

    @Test
    void the_node_returns_to_redis_when_it_answers_again() throws Exception {
        int port = freePort();
        RedisServer redis = startRedis(port);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisThrottler throttler = throttler(client(port), RedisDown.LOCAL, 1, registry);
        ThrottleCounter counter = counter(3, Level.SUBSCRIPTION);

        ThrottleDecision shared = throttler.acquire(List.of(counter)).block();
        assertThat(shared.degraded()).isFalse();
        assertThat(shared.remaining()).isEqualTo(2);

        redis.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> throttler.acquire(List.of(counter)).block().degraded());
        assertThat(throttler.isRedisAvailable()).isFalse();
        double errorsWhileDown = registry.get("apim.gateway.throttle.redis.errors").counter().count();
        for (int i = 0; i < 20; i++) {
            assertThat(throttler.acquire(List.of(counter)).block().degraded()).isTrue();
        }
        assertThat(registry.get("apim.gateway.throttle.redis.errors").counter().count())
                .as("a degraded node does not ask Redis on every request").isLessThan(errorsWhileDown + 20);

        Thread.sleep(300);
        RedisServer restarted = startRedis(port);
        resources.add(restarted::stop);
        await().atMost(Duration.ofSeconds(15)).until(throttler::isRedisAvailable);

        ThrottleDecision back = throttler.acquire(List.of(counter)).block();
        assertThat(back.degraded()).isFalse();
        assertThat(back.admitted()).isTrue();
        assertThat(back.remaining()).as("a fresh server: the old count went with it").isEqualTo(2);
        assertThat(throttler.degradedSince()).isNull();
        assertThat(registry.get("apim.gateway.throttle.redis.available").gauge().value()).isEqualTo(1);
    }

    @Test
    void the_embedded_redis_6_2_runs_the_script_exactly() throws Exception {
        int port = freePort();
        RedisServer redis = startRedis(port);
        resources.add(redis::stop);
        RedisThrottler throttler = throttler(client(port), RedisDown.CLOSED, 1, new SimpleMeterRegistry());
        List<ThrottleCounter> counters = List.of(counter(3, Level.APPLICATION), counter(5, Level.SUBSCRIPTION));

        List<Boolean> admitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ThrottleDecision decision = throttler.acquire(counters).block();
            assertThat(decision.degraded()).isFalse();
            admitted.add(decision.admitted());
        }

        assertThat(admitted).containsExactly(true, true, true, false);
    }
}
