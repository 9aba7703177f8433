package dev.apim.gateway;

import dev.apim.domain.keys.KeyType;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.gateway.model.Policy;
import dev.apim.gateway.model.Subscription;
import dev.apim.gateway.throttle.RedisThrottler;
import dev.apim.gateway.throttle.ThrottleProperties;
import dev.apim.testsupport.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway nodes, each with its own Redis client, behind one subscription limit: hammered concurrently through
 * both, they admit exactly the limit between them and refuse the rest with 429 / 900804.
 */
class TwoGatewaysShareOneLimitTest extends GatewayTestBase {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private GatewayEdge second;

    private static RedissonClient redis() {
        Config config = new Config();
        config.useSingleServer().setAddress(TestServices.redisUri()).setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(16);
        return Redisson.create(config);
    }

    private RedisThrottler redisThrottler() {
        RedissonClient client = redis();
        closing.add(client::shutdown);
        RedisThrottler t = new RedisThrottler(client, new ThrottleProperties(ThrottleProperties.RedisDown.LOCAL, 2,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new SimpleMeterRegistry());
        closing.add(t);
        return t;
    }

    @BeforeEach
    void twoNodesOnRedis() {
        // this test's own application and policy, so counters of earlier runs on the shared Redis never interfere
        String app = "app-" + UUID.randomUUID();
        String policy = "Shared" + UUID.randomUUID();
        lookup.put(new Policy(Policy.Level.SUBSCRIPTION, TENANT, policy,
                        new Policy.Limit(Policy.Limit.Type.REQUEST_COUNT, 50, Duration.ofHours(1)), null, true,
                        List.of()))
                .put(new Application(app, TENANT, "Shared", "alice", null))
                .put(new KeyMapping(PROD_KEY, app, TENANT, KeyType.PRODUCTION, true))
                .put(new Subscription("sub-shared", API_ID, app, TENANT, policy, "UNBLOCKED"));
        edge.close();
        edge = new GatewayEdge(properties(), lookup, redisThrottler(), registry, Clock.systemUTC(),
                HttpClient.create(), null);
        edge.server().start();
        second = new GatewayEdge(properties(), lookup, redisThrottler(), new SimpleMeterRegistry(),
                Clock.systemUTC(), HttpClient.create(), null);
        second.server().start();
    }

    @AfterEach
    void closeSecond() throws Exception {
        second.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void admittedBetweenBothNodesEqualsTheLimitExactly() throws Exception {
        String token = prodToken();
        List<String> bases = List.of(base(), "http://127.0.0.1:" + second.server().httpPort());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String base = bases.get(t % 2);
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/pizzashack/1.0.0/menu"))
                                .GET(), token);
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else if (r.statusCode() == 429 && "900804".equals(code(r))) {
                            limited.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(other.get()).as("answers other than 200 and 429/900804").isZero();
        assertThat(ok.get()).as("admitted by the two nodes together").isEqualTo(50);
        assertThat(limited.get()).isEqualTo(150);
    }
}
