package dev.apim.platform.security;

import dev.apim.platform.embedded.EmbeddedRedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Against a real Redis: the configured test server ({@code APIM_TEST_REDIS_URL} / {@code apim.test.redis-url}),
 * else an embedded one (this module cannot use test-support, which depends on it).
 */
class LoginThrottleTest {

    private static EmbeddedRedisServer embedded;
    private static RedissonClient redisson;

    @BeforeAll
    static void redis() throws Exception {
        String uri = System.getProperty("apim.test.redis-url");
        if (uri == null || uri.isBlank()) {
            uri = System.getenv("APIM_TEST_REDIS_URL");
        }
        if (uri == null || uri.isBlank()) {
            Path dir = Files.createTempDirectory("apim-throttle-redis");
            embedded = EmbeddedRedisServer.start(dir);
            uri = embedded.uri();
        }
        Config config = new Config();
        config.useSingleServer().setAddress(uri).setConnectionMinimumIdleSize(2);
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        if (redisson != null) {
            redisson.shutdown();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    private static LoginThrottle throttle(int maxFailures, Duration window, Duration lockout) {
        return new LoginThrottle(redisson,
                new LoginThrottleProperties(true, maxFailures, window, lockout, Duration.ofSeconds(5)));
    }

    private static String key() {
        return "user:carbon.super/t-" + UUID.randomUUID();
    }

    @Test
    void aKeyIsLockedAfterMaxFailuresWithinTheWindow() {
        LoginThrottle throttle = throttle(3, Duration.ofMinutes(1), Duration.ofMinutes(1));
        String key = key();
        assertThat(throttle.checkAllowed(key).block()).isZero();
        throttle.recordFailure(key).block();
        throttle.recordFailure(key).block();
        assertThat(throttle.checkAllowed(key).block()).isEqualTo(2);
        assertThat(throttle.isLocked(key).block()).isFalse();

        throttle.recordFailure(key).block();

        assertThat(throttle.isLocked(key).block()).isTrue();
        assertThatThrownBy(() -> throttle.checkAllowed(key).block())
                .isInstanceOfSatisfying(LoginLockedException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
                });
    }

    @Test
    void theLockIsLiftedWhenTheLockoutEnds() {
        LoginThrottle throttle = throttle(2, Duration.ofMinutes(1), Duration.ofMillis(700));
        String key = key();
        throttle.recordFailure(key).block();
        throttle.recordFailure(key).block();
        assertThat(throttle.isLocked(key).block()).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> !throttle.isLocked(key).block());
        // a fresh start: the failures that caused the lock are gone
        assertThat(throttle.checkAllowed(key).block()).isZero();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        LoginThrottle throttle = throttle(3, Duration.ofMillis(600), Duration.ofMinutes(1));
        String key = key();
        throttle.recordFailure(key).block();
        throttle.recordFailure(key).block();
        await().atMost(Duration.ofSeconds(5)).until(() -> throttle.checkAllowed(key).block() == 0);

        throttle.recordFailure(key).block();
        throttle.recordFailure(key).block();
        assertThat(throttle.isLocked(key).block()).as("only two failures in the new window").isFalse();
    }

    @Test
    void attemptsWhileLockedAreNotCountedSoTheLockIsNotExtended() {
        LoginThrottle throttle = throttle(2, Duration.ofMinutes(1), Duration.ofMillis(800));
        String key = key();
        throttle.recordFailure(key).block();
        throttle.recordFailure(key).block();
        Duration before = lockRemaining(throttle, key);
        throttle.recordFailure(key).block();
        assertThat(lockRemaining(throttle, key)).isLessThanOrEqualTo(before);
        await().atMost(Duration.ofSeconds(5)).until(() -> !throttle.isLocked(key).block());
        assertThat(throttle.checkAllowed(key).block()).isZero();
    }

    @Test
    void twentyParallelFailuresCountTwenty() {
        LoginThrottle throttle = throttle(1000, Duration.ofMinutes(1), Duration.ofMinutes(1));
        String key = key();
        Flux.range(0, 20)
                .flatMap(i -> throttle.recordFailure(key).subscribeOn(Schedulers.parallel()), 20)
                .blockLast();
        assertThat(throttle.checkAllowed(key).block()).isEqualTo(20);
    }

    @Test
    void parallelFailuresLockExactlyAtTheLimitFromSeveralClients() {
        // two throttles on two Redis connections stand for two nodes
        RedissonClient other = Redisson.create(redisson.getConfig());
        try {
            LoginThrottle nodeA = throttle(5, Duration.ofMinutes(1), Duration.ofMinutes(1));
            LoginThrottle nodeB = new LoginThrottle(other,
                    new LoginThrottleProperties(true, 5, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(5)));
            String key = key();
            Flux.range(0, 4)
                    .flatMap(i -> (i % 2 == 0 ? nodeA : nodeB).recordFailure(key).subscribeOn(Schedulers.parallel()), 4)
                    .blockLast();
            assertThat(nodeB.checkAllowed(key).block()).isEqualTo(4);
            assertThat(nodeA.isLocked(key).block()).isFalse();
            nodeB.recordFailure(key).block();
            assertThat(nodeA.isLocked(key).block()).isTrue();
        } finally {
            other.shutdown();
        }
    }

    @Test
    void aResetForgetsFailuresAndLiftsALock() {
        LoginThrottle throttle = throttle(2, Duration.ofMinutes(1), Duration.ofMinutes(1));
        String key = key();
        throttle.recordFailure(key).block();
        throttle.reset(key).block();
        assertThat(throttle.checkAllowed(key).block()).isZero();
        throttle.recordFailure(key).block();
        throttle.recordFailure(key).block();
        assertThat(throttle.isLocked(key).block()).isTrue();
        throttle.reset(key).block();
        assertThat(throttle.isLocked(key).block()).isFalse();
    }

    @Test
    void keysAreIndependent() {
        LoginThrottle throttle = throttle(1, Duration.ofMinutes(1), Duration.ofMinutes(1));
        String locked = key();
        throttle.recordFailure(locked).block();
        assertThat(throttle.isLocked(locked).block()).isTrue();
        assertThat(throttle.isLocked(key()).block()).isFalse();
    }

    @Test
    void aDisabledThrottleNeverLocks() {
        LoginThrottle throttle = new LoginThrottle(redisson,
                new LoginThrottleProperties(false, 1, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(1)));
        String key = key();
        throttle.recordFailure(key).block();
        assertThat(throttle.isLocked(key).block()).isFalse();
    }

    @Test
    void anUnreachableRedisIsReportedAndCounted() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:1").setConnectTimeout(200)
                .setRetryAttempts(0).setTimeout(200);
        config.setLazyInitialization(true);
        RedissonClient dead = Redisson.create(config);
        try {
            LoginThrottle throttle = new LoginThrottle(dead,
                    new LoginThrottleProperties(true, 5, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMillis(300)));
            assertThatThrownBy(() -> throttle.checkAllowed(key()).block())
                    .isNotInstanceOf(LoginLockedException.class);
            assertThat(throttle.unavailableCount()).isEqualTo(1);
        } finally {
            dead.shutdown();
        }
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new LoginThrottleProperties(true, 0, Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofSeconds(1))).hasMessageContaining("max-failures");
        assertThatThrownBy(() -> new LoginThrottleProperties(true, 5, Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofSeconds(1))).hasMessageContaining("window");
        assertThatThrownBy(() -> Mono.defer(() -> throttle(5, Duration.ofMinutes(1), Duration.ofMinutes(1))
                .checkAllowed(" ")).block()).isInstanceOf(IllegalArgumentException.class);
    }

    private static Duration lockRemaining(LoginThrottle throttle, String key) {
        try {
            throttle.checkAllowed(key).block();
            throw new AssertionError("expected " + key + " to be locked");
        } catch (LoginLockedException e) {
            return e.retryAfter();
        }
    }
}
