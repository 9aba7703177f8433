package dev.apim.gateway.throttle;

import dev.apim.gateway.throttle.ThrottleCounter.Level;
import dev.apim.platform.broadcast.BroadcastNotification;
import dev.apim.platform.broadcast.BroadcastProperties;
import dev.apim.platform.broadcast.BroadcastStream;
import dev.apim.platform.broadcast.NotificationType;
import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.redis.ClusterSlots;
import dev.apim.platform.redis.RedisConfiguration;
import dev.apim.platform.security.LoginThrottle;
import dev.apim.platform.security.LoginThrottleProperties;
import dev.apim.testsupport.LocalRedisCluster;
import dev.apim.testsupport.LocalRedisSentinel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real three-master Redis Cluster (started from the machine's redis-server; skipped only when it is not
 * installed): Redisson in cluster mode from {@code apim.redis.*}, the throttling script exact across two nodes for
 * an API's counters, the per-shard path with refunds never over-admitting, and the login throttle and broadcast
 * stream scripts (their keys in one slot each) working on the cluster. Plus, without a server, the slot rule for the
 * planner's keys.
 */
class RedisClusterThrottleTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static LocalRedisCluster cluster;
    private static RedissonClient node1;
    private static RedissonClient node2;

    @BeforeAll
    static void startCluster() {
        if (!LocalRedisCluster.available()) {
            return;
        }
        cluster = LocalRedisCluster.start();
        node1 = client();
        node2 = client();
    }

    @AfterAll
    static void stopCluster() {
        if (node1 != null) {
            node1.shutdown();
        }
        if (node2 != null) {
            node2.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RedissonClient client() {
        ApimProperties.Redis settings = new ApimProperties.Redis(null, "cluster", cluster.nodes(), null, null, null,
                0, null, null);
        return Redisson.create(RedisConfiguration.redissonConfig(
                new RedisConfiguration.RedisEndpoint("cluster", settings.nodes()), settings));
    }

    private static void requireCluster() {
        Assumptions.assumeTrue(cluster != null, "redis-server/redis-cli are not installed");
    }

    private static RedisThrottler throttler(RedissonClient client) {
        return new RedisThrottler(client, new ThrottleProperties(ThrottleProperties.RedisDown.CLOSED, 1,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new SimpleMeterRegistry());
    }

    /** The counters the planner builds for one call: application, subscription, burst, API. */
    private static List<ThrottleCounter> call(String tenant, String appId, String apiId, long appLimit, long apiLimit) {
        String api = ThrottlePlanner.apiShard(tenant, apiId);
        String sub = appId + ":" + apiId;
        return List.of(
                new ThrottleCounter("app:" + tenant + ":" + appId + ":alice", appLimit, HOUR, 1, Level.APPLICATION,
                        ThrottlePlanner.appShard(tenant, appId)),
                new ThrottleCounter("sub:" + tenant + ":" + sub, 1_000_000, HOUR, 1, Level.SUBSCRIPTION, api),
                new ThrottleCounter("burst:" + tenant + ":" + sub, 1_000_000, Duration.ofMinutes(1), 1, Level.BURST, api),
                new ThrottleCounter("api:" + tenant + ":" + apiId, apiLimit, HOUR, 1, Level.API, api));
    }

    @Test
    void an_apis_counters_share_a_slot_and_different_apis_spread() {
        List<ThrottleCounter> counters = call("carbon.super", "app-1", "api-1", 10, 10);
        Set<Integer> apiSlots = counters.stream().filter(c -> c.level() != Level.APPLICATION)
                .map(c -> ClusterSlots.slot(RedisThrottler.redisKey(c))).collect(Collectors.toSet());
        assertThat(apiSlots).hasSize(1);
        Set<Integer> spread = IntStream.range(0, 64).mapToObj(i -> ClusterSlots.slot(RedisThrottler.redisKey(
                call("carbon.super", "app", "api-" + i, 1, 1).get(3)))).collect(Collectors.toSet());
        assertThat(spread.size()).isGreaterThan(32);
        assertThat(RedisThrottler.byShard(counters)).hasSize(2);
        // unqualified counters: the tenant field is the shard, so one tenant's keys stay together
        assertThat(new ThrottleCounter("sub:wso2.com:x", 1, HOUR, 1, Level.SUBSCRIPTION).shard()).isEqualTo("wso2.com");
    }

    @Test
    void one_apis_counters_admit_exactly_the_limit_across_two_nodes() {
        requireCluster();
        String apiId = UUID.randomUUID().toString();
        List<ThrottleCounter> counters = call("carbon.super", "app", apiId, 1_000_000, 25).subList(1, 4);
        RedisThrottler a = throttler(node1);
        RedisThrottler b = throttler(node2);
        List<ThrottleDecision> decisions = Flux.range(0, 80)
                .flatMap(i -> (i % 2 == 0 ? a : b).acquire(counters), 16)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(decisions).noneMatch(ThrottleDecision::degraded);
        assertThat(decisions.stream().filter(ThrottleDecision::admitted).count()).isEqualTo(25);
    }

    @Test
    void counters_in_two_shards_never_over_admit_and_a_refusal_gives_back_what_was_taken() {
        requireCluster();
        RedisThrottler a = throttler(node1);
        RedisThrottler b = throttler(node2);
        // the application's counter refuses first: the API's shard is not touched
        String app = UUID.randomUUID().toString();
        List<ThrottleCounter> appLimited = call("carbon.super", app, UUID.randomUUID().toString(), 7, 1_000_000);
        List<ThrottleDecision> first = Flux.range(0, 30).flatMap(i -> (i % 2 == 0 ? a : b).acquire(appLimited), 8)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(first).noneMatch(ThrottleDecision::degraded);
        assertThat(first.stream().filter(ThrottleDecision::admitted).count()).isEqualTo(7);
        assertThat(used(appLimited.get(3))).isEqualTo(7);

        // the API's counter refuses after the application's took its count: it is given back
        List<ThrottleCounter> apiLimited = call("carbon.super", UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), 1_000_000, 5);
        List<ThrottleDecision> second = Flux.range(0, 30).flatMap(i -> (i % 2 == 0 ? a : b).acquire(apiLimited), 8)
                .collectList().block(Duration.ofSeconds(60));
        long admitted = second.stream().filter(ThrottleDecision::admitted).count();
        assertThat(second).noneMatch(ThrottleDecision::degraded);
        assertThat(admitted).isBetween(1L, 5L);
        assertThat(second.stream().filter(d -> !d.admitted()).map(ThrottleDecision::rejectedBy))
                .containsOnly(Level.API);
        assertThat(used(apiLimited.get(0))).as("application counter after refunds").isEqualTo(admitted);
        assertThat(used(apiLimited.get(3))).isEqualTo(admitted);
    }

    private static long used(ThrottleCounter counter) {
        String c = node1.<String, String>getMap(RedisThrottler.redisKey(counter), StringCodec.INSTANCE).get("c");
        return c == null ? 0 : Long.parseLong(c);
    }

    @Test
    void sentinel_mode_finds_the_master_through_the_sentinel_and_throttles_there() {
        requireCluster();
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.start()) {
            ApimProperties.Redis settings = new ApimProperties.Redis(null, "sentinel", List.of(sentinel.sentinel()),
                    LocalRedisSentinel.MASTER, null, null, 0, null, null);
            RedissonClient client = Redisson.create(RedisConfiguration.redissonConfig(
                    new RedisConfiguration.RedisEndpoint("sentinel", settings.nodes()), settings));
            try {
                List<ThrottleCounter> counters = call("carbon.super", "app", UUID.randomUUID().toString(),
                        1_000_000, 3).subList(1, 4);
                RedisThrottler throttler = throttler(client);
                long admitted = Flux.range(0, 6).concatMap(i -> throttler.acquire(counters))
                        .filter(ThrottleDecision::admitted).count().block(Duration.ofSeconds(30));
                assertThat(admitted).isEqualTo(3);
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void the_login_throttle_and_the_broadcast_stream_run_on_the_cluster() {
        requireCluster();
        LoginThrottle logins = new LoginThrottle(node1, new LoginThrottleProperties(true, 2, Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofSeconds(5)));
        String user = "user:carbon.super/" + UUID.randomUUID();
        logins.recordFailure(user).block(Duration.ofSeconds(10));
        logins.recordFailure(user).block(Duration.ofSeconds(10));
        assertThat(logins.isLocked(user).block(Duration.ofSeconds(10))).isTrue();
        assertThat(logins.unavailableCount()).isZero();

        BroadcastStream stream = new BroadcastStream(node2,
                new BroadcastProperties("apim:broadcast:{" + UUID.randomUUID() + "}", 100));
        for (long index = 1; index <= 3; index++) {
            stream.publish(BroadcastNotification.of(index, NotificationType.API_UPDATE, "carbon.super", "api-" + index,
                    Map.of()), "epoch-1");
        }
        assertThat(stream.lastPublishedIndex()).isEqualTo(3);
        assertThat(stream.startAfter(0).sequence()).isGreaterThanOrEqualTo(0);
    }
}
