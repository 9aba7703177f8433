package dev.apim.gateway.throttle;

import dev.apim.gateway.throttle.ThrottleCounter.Level;
import dev.apim.testsupport.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the real test Redis (the shared server, keys unique per test). */
class RedisThrottlerTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static RedissonClient node1;
    private static RedissonClient node2;

    @BeforeAll
    static void connect() {
        node1 = client(TestServices.redisUri());
        node2 = client(TestServices.redisUri());
    }

    @AfterAll
    static void disconnect() {
        node1.shutdown();
        node2.shutdown();
    }

    static RedissonClient client(String uri) {
        Config config = new Config();
        config.useSingleServer().setAddress(uri).setConnectionMinimumIdleSize(2).setConnectionPoolSize(16);
        return Redisson.create(config);
    }

    /** A throttler that waits long enough for a busy build machine never to go degraded by accident. */
    private static RedisThrottler throttler(RedissonClient client) {
        return new RedisThrottler(client, new ThrottleProperties(ThrottleProperties.RedisDown.LOCAL, 1,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new SimpleMeterRegistry());
    }

    private static String key(String kind) {
        return kind + ":carbon.super:" + UUID.randomUUID();
    }

    private static ThrottleCounter counter(String key, long limit, Duration window, Level level) {
        return new ThrottleCounter(key, limit, window, 1, level);
    }

    /** Redis's clock in epoch ms. */
    static long serverMillis(RedissonClient client) {
        Long now = client.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_ONLY,
                "local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
                RScript.ReturnType.LONG);
        return now;
    }

    /** Waits, if need be, until at least {@code needed} is left of the current window (by Redis's clock). */
    static void awaitWindowWithRoom(RedissonClient client, Duration window, Duration needed) throws InterruptedException {
        long size = window.toMillis();
        long left = size - Math.floorMod(serverMillis(client), size);
        if (left < needed.toMillis()) {
            Thread.sleep(left + 5);
        }
    }

    @Test
    void a_single_counter_admits_exactly_its_limit_then_refuses_with_retry_after_and_its_level() throws Exception {
        RedisThrottler throttler = throttler(node1);
        List<ThrottleCounter> counters = List.of(counter(key("sub"), 5, HOUR, Level.SUBSCRIPTION));
        awaitWindowWithRoom(node1, HOUR, Duration.ofSeconds(10));

        List<ThrottleDecision> admitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            admitted.add(throttler.acquire(counters).block());
        }
        ThrottleDecision sixth = throttler.acquire(counters).block();

        assertThat(admitted).allSatisfy(d -> {
            assertThat(d.admitted()).isTrue();
            assertThat(d.degraded()).isFalse();
            assertThat(d.limit()).isEqualTo(5);
            assertThat(d.reset()).isEqualTo(admitted.get(0).reset());
        });
        assertThat(admitted).extracting(ThrottleDecision::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(admitted.get(0).reset().toEpochMilli() % HOUR.toMillis()).isZero();
        assertThat(sixth.admitted()).isFalse();
        assertThat(sixth.degraded()).isFalse();
        assertThat(sixth.rejectedBy()).isEqualTo(Level.SUBSCRIPTION);
        assertThat(sixth.limit()).isEqualTo(5);
        assertThat(sixth.remaining()).isZero();
        assertThat(sixth.reset()).isEqualTo(admitted.get(0).reset());
        assertThat(sixth.retryAfter()).isPositive().isLessThanOrEqualTo(HOUR);
        long untilReset = sixth.reset().toEpochMilli() - serverMillis(node1);
        assertThat(sixth.retryAfter().toMillis()).isBetween(untilReset, untilReset + 1_000);
    }

    @Test
    void a_request_refused_by_one_counter_consumes_none_of_the_others() {
        RedisThrottler throttler = throttler(node1);
        ThrottleCounter app = counter(key("app"), 10, HOUR, Level.APPLICATION);
        ThrottleCounter api = counter(key("api"), 1, HOUR, Level.API);

        ThrottleDecision first = throttler.acquire(List.of(app, api)).block();
        ThrottleDecision second = throttler.acquire(List.of(app, api)).block();
        ThrottleDecision third = throttler.acquire(List.of(app, api)).block();
        ThrottleDecision appAlone = throttler.acquire(List.of(app)).block();

        assertThat(first.admitted()).isTrue();
        assertThat(first.limit()).as("the most constraining counter").isEqualTo(1);
        assertThat(first.remaining()).isZero();
        assertThat(second.admitted()).isFalse();
        assertThat(second.rejectedBy()).isEqualTo(Level.API);
        assertThat(third.rejectedBy()).isEqualTo(Level.API);
        assertThat(appAlone.admitted()).isTrue();
        assertThat(appAlone.limit()).isEqualTo(10);
        assertThat(appAlone.remaining()).as("only the first and this request counted").isEqualTo(8);
    }

    @Test
    void a_refusal_names_the_first_refusing_counter_and_waits_for_the_latest_reset_of_all_refusing_ones() {
        RedisThrottler throttler = throttler(node1);
        ThrottleCounter burst = counter(key("burst"), 1, Duration.ofSeconds(10), Level.BURST);
        ThrottleCounter sub = counter(key("sub"), 1, Duration.ofDays(1), Level.SUBSCRIPTION);

        assertThat(throttler.acquire(List.of(burst, sub)).block().admitted()).isTrue();
        ThrottleDecision refused = throttler.acquire(List.of(burst, sub)).block();

        assertThat(refused.rejectedBy()).isEqualTo(Level.BURST);
        assertThat(refused.reset().toEpochMilli() % 10_000).isZero();
        assertThat(refused.retryAfter()).isGreaterThan(Duration.ofSeconds(10));
    }

    @Test
    void counters_sharing_a_key_in_one_request_add_up() {
        RedisThrottler throttler = throttler(node1);
        ThrottleCounter counter = counter(key("res"), 3, HOUR, Level.RESOURCE);

        ThrottleDecision twice = throttler.acquire(List.of(counter, counter)).block();
        ThrottleDecision again = throttler.acquire(List.of(counter, counter)).block();
        ThrottleDecision once = throttler.acquire(List.of(counter)).block();

        assertThat(twice.admitted()).isTrue();
        assertThat(twice.remaining()).isEqualTo(1);
        assertThat(again.admitted()).isFalse();
        assertThat(once.admitted()).isTrue();
        assertThat(once.remaining()).isZero();
    }

    @Test
    void two_nodes_hammering_one_limit_admit_exactly_the_limit() throws Exception {
        ThrottleCounter counter = counter(key("sub"), 200, HOUR, Level.SUBSCRIPTION);
        awaitWindowWithRoom(node1, HOUR, Duration.ofSeconds(60));

        List<ThrottleDecision> decisions = hammer(counter, 8, 60);

        assertThat(decisions).hasSize(2 * 8 * 60).noneMatch(ThrottleDecision::degraded);
        assertThat(decisions.stream().filter(ThrottleDecision::admitted).count()).isEqualTo(200);
        assertThat(decisions.stream().filter(d -> !d.admitted()))
                .allMatch(d -> d.rejectedBy() == Level.SUBSCRIPTION && d.remaining() == 0);
    }

    @Test
    void two_nodes_below_the_limit_admit_every_request() throws Exception {
        ThrottleCounter counter = counter(key("app"), 1_000, HOUR, Level.APPLICATION);
        awaitWindowWithRoom(node1, HOUR, Duration.ofSeconds(60));

        List<ThrottleDecision> decisions = hammer(counter, 8, 30);

        assertThat(decisions).hasSize(480).allMatch(d -> d.admitted() && !d.degraded());
        assertThat(throttler(node2).acquire(List.of(counter)).block().remaining()).isEqualTo(1_000 - 481);
    }

    private static List<ThrottleDecision> hammer(ThrottleCounter counter, int threadsPerNode, int requestsPerThread)
            throws Exception {
        List<RedisThrottler> nodes = List.of(throttler(node1), throttler(node2));
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
        try {
            List<Callable<List<ThrottleDecision>>> tasks = new ArrayList<>();
            for (RedisThrottler node : nodes) {
                for (int t = 0; t < threadsPerNode; t++) {
                    tasks.add(() -> {
                        List<ThrottleDecision> mine = new ArrayList<>();
                        for (int i = 0; i < requestsPerThread; i++) {
                            mine.add(node.acquire(List.of(counter)).block());
                        }
                        return mine;
                    });
                }
            }
            List<ThrottleDecision> all = new ArrayList<>();
            for (Future<List<ThrottleDecision>> future : pool.invokeAll(tasks)) {
                all.addAll(future.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_new_window_starts_a_new_count_and_the_old_key_expires_with_its_window() throws Exception {
        RedisThrottler throttler = throttler(node1);
        Duration second = Duration.ofSeconds(1);
        ThrottleCounter counter = counter(key("burst"), 2, second, Level.BURST);
        awaitWindowWithRoom(node1, second, Duration.ofMillis(600));

        assertThat(throttler.acquire(List.of(counter)).block().admitted()).isTrue();
        assertThat(throttler.acquire(List.of(counter)).block().admitted()).isTrue();
        ThrottleDecision refused = throttler.acquire(List.of(counter)).block();
        long ttl = node1.getKeys().remainTimeToLive(RedisThrottler.redisKey(counter));

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(second);
        assertThat(ttl).isPositive().isLessThanOrEqualTo(1_000);

        Thread.sleep(refused.retryAfter().toMillis() + 20);
        ThrottleDecision next = throttler.acquire(List.of(counter)).block();

        assertThat(next.admitted()).isTrue();
        assertThat(next.remaining()).isEqualTo(1);
        assertThat(next.reset()).isEqualTo(refused.reset().plus(second));
    }

    @Test
    void an_unknown_script_is_sent_again_with_eval() {
        RedisThrottler throttler = throttler(node1);
        ThrottleCounter counter = counter(key("sub"), 5, HOUR, Level.SUBSCRIPTION);
        assertThat(throttler.acquire(List.of(counter)).block().remaining()).isEqualTo(4);

        node1.getScript().scriptFlush();

        ThrottleDecision afterFlush = throttler.acquire(List.of(counter)).block();
        assertThat(afterFlush.admitted()).isTrue();
        assertThat(afterFlush.degraded()).isFalse();
        assertThat(afterFlush.remaining()).isEqualTo(3);
        assertThat(node1.getScript().scriptExists(RedisThrottler.SHA)).containsExactly(true);
    }

    @Test
    void requests_queued_behind_a_call_in_flight_share_one_call_and_are_decided_in_order_each_all_or_nothing()
            throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisThrottler throttler = new RedisThrottler(node1, new ThrottleProperties(ThrottleProperties.RedisDown.LOCAL,
                1, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 64),
                registry);
        ThrottleCounter app = counter(key("app"), 100, HOUR, Level.APPLICATION);
        ThrottleCounter api = counter(key("api"), 3, HOUR, Level.API);
        awaitWindowWithRoom(node1, HOUR, Duration.ofSeconds(10));

        Runnable release = throttler.holdCalls();
        List<Mono<ThrottleDecision>> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(throttler.acquire(i % 2 == 0 ? List.of(app, api) : List.of(app)));
        }
        // Subscribed (queued) in order, all before the slot frees; answers in the same order.
        Mono<List<ThrottleDecision>> all = Flux.mergeSequential(requests, 64, 1).collectList().cache();
        all.subscribe();
        release.run();
        List<ThrottleDecision> decisions = all.block(Duration.ofSeconds(10));

        assertThat(decisions).hasSize(40).noneMatch(ThrottleDecision::degraded);
        assertThat(registry.get("apim.gateway.throttle.redis.calls").counter().count()).isEqualTo(1.0);
        for (int i = 0; i < 40; i++) {
            ThrottleDecision d = decisions.get(i);
            if (i % 2 == 1) {
                assertThat(d.admitted()).as("request %d (application counter only)", i).isTrue();
            } else if (i < 6) {
                assertThat(d.admitted()).as("request %d (one of the first three on the API counter)", i).isTrue();
            } else {
                assertThat(d.admitted()).as("request %d", i).isFalse();
                assertThat(d.rejectedBy()).isEqualTo(Level.API);
            }
        }
        assertThat(decisions.get(4).remaining()).as("the third API request took the last of 3").isZero();
        // 3 admitted with the API counter + 20 alone: refused requests charged nothing on the application counter.
        assertThat(throttler(node2).acquire(List.of(app)).block().remaining()).isEqualTo(100 - 24);
    }

    @Test
    void a_queue_longer_than_batch_max_is_sent_in_several_calls_without_losing_exactness() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisThrottler throttler = new RedisThrottler(node1, new ThrottleProperties(ThrottleProperties.RedisDown.LOCAL,
                1, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 16),
                registry);
        ThrottleCounter sub = counter(key("sub"), 25, HOUR, Level.SUBSCRIPTION);
        awaitWindowWithRoom(node1, HOUR, Duration.ofSeconds(10));

        Runnable release = throttler.holdCalls();
        List<Mono<ThrottleDecision>> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(throttler.acquire(List.of(sub)));
        }
        Mono<List<ThrottleDecision>> all = Flux.mergeSequential(requests, 64, 1).collectList().cache();
        all.subscribe();
        release.run();
        List<ThrottleDecision> decisions = all.block(Duration.ofSeconds(10));

        assertThat(registry.get("apim.gateway.throttle.redis.calls").counter().count()).isEqualTo(3.0);
        assertThat(decisions.subList(0, 25)).allMatch(d -> d.admitted() && !d.degraded());
        assertThat(decisions.subList(0, 25)).extracting(ThrottleDecision::remaining)
                .containsExactly(java.util.stream.LongStream.rangeClosed(0, 24).map(r -> 24 - r).boxed()
                        .toArray(Long[]::new));
        assertThat(decisions.subList(25, 40)).allMatch(d -> !d.admitted() && d.rejectedBy() == Level.SUBSCRIPTION);
    }
}
