package dev.apim.platform.security;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A brute-force guard shared by every node: failed logins are counted per key ({@code user:<tenant>/<name>},
 * {@code client:<consumerKey>}, {@code ip:<address>}) in Redis; {@code maxFailures} failures within
 * {@code window} (counted from the first one) lock the key for {@code lockout}. Each operation is one Lua
 * script, so it is atomic and exact however many nodes record failures at once, and costs one round trip.
 * While a key is locked, further attempts are neither checked nor counted, so the lock is not extended.
 *
 * <p>Redis errors (and answers slower than {@code timeout}) are passed to the caller, which decides whether
 * to fail open; each one is counted ({@link #unavailableCount()}) and logged at most once a minute.
 */
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private static final String PREFIX = "apim:login-throttle:";
    private static final int MAX_KEY_LENGTH = 512;

    /** KEYS: failures, lock. Returns {1, remaining lock ms} or {0, failures in the current window}. */
    private static final String CHECK = """
            local ttl = redis.call('PTTL', KEYS[2])
            if ttl > 0 then return {1, ttl} end
            local n = redis.call('GET', KEYS[1])
            if n then return {0, tonumber(n)} end
            return {0, 0}
            """;

    /** KEYS: failures, lock; ARGV: window ms, max failures, lockout ms. Returns the count, -1 when locked. */
    private static final String FAIL = """
            if redis.call('PTTL', KEYS[2]) > 0 then return -1 end
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            if n >= tonumber(ARGV[2]) then
              redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
              redis.call('DEL', KEYS[1])
            end
            return n
            """;

    /** KEYS: failures, lock. */
    private static final String RESET = """
            return redis.call('DEL', KEYS[1], KEYS[2])
            """;

    private final RScript script;
    private final LoginThrottleProperties properties;
    private final AtomicLong unavailable = new AtomicLong();
    private volatile long lastWarning;

    public LoginThrottle(RedissonClient redisson, LoginThrottleProperties properties) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.properties = properties;
    }

    /**
     * Completes with the number of failures counted for the key in its current window when it may try to log
     * in; errors with {@link LoginLockedException} (carrying the remaining lock time) when it is locked.
     */
    public Mono<Long> checkAllowed(String key) {
        if (!properties.enabled()) {
            return Mono.just(0L);
        }
        return this.<List<Object>>eval(CHECK, RScript.ReturnType.LIST, key)
                .flatMap(answer -> {
                    long flag = ((Number) answer.get(0)).longValue();
                    long value = ((Number) answer.get(1)).longValue();
                    return flag == 1 ? Mono.error(new LoginLockedException(key, Duration.ofMillis(value)))
                            : Mono.just(value);
                });
    }

    /** Whether the key is locked now. */
    public Mono<Boolean> isLocked(String key) {
        return checkAllowed(key).map(failures -> false)
                .onErrorResume(LoginLockedException.class, e -> Mono.just(true));
    }

    /** Counts one failed login for the key, locking it when that makes {@code maxFailures}. */
    public Mono<Void> recordFailure(String key) {
        if (!properties.enabled()) {
            return Mono.empty();
        }
        return this.<Long>eval(FAIL, RScript.ReturnType.LONG, key,
                        String.valueOf(properties.window().toMillis()), String.valueOf(properties.maxFailures()),
                        String.valueOf(properties.lockout().toMillis()))
                .doOnNext(count -> {
                    if (count == properties.maxFailures()) {
                        log.warn("{} failed logins within {} for {}: locked for {}", count, properties.window(),
                                key, properties.lockout());
                    }
                })
                .then();
    }

    /** Forgets the key's failures and lifts its lock (after a successful login, or by an operator). */
    public Mono<Void> reset(String key) {
        if (!properties.enabled()) {
            return Mono.empty();
        }
        return this.<Long>eval(RESET, RScript.ReturnType.LONG, key).then();
    }

    /** How many throttle operations failed because Redis did not answer (in time) since start. */
    public long unavailableCount() {
        return unavailable.get();
    }

    private <R> Mono<R> eval(String lua, RScript.ReturnType type, String key, Object... args) {
        return Mono.defer(() -> {
            List<Object> keys = List.of(redisKey(key, "failures"), redisKey(key, "lock"));
            return Mono.fromCompletionStage(script.<R>evalAsync(RScript.Mode.READ_WRITE, lua, type, keys, args))
                    .timeout(properties.timeout())
                    .doOnError(this::unavailable);
        });
    }

    /** Both keys of a login key share one hash tag, so a script may touch them together on a cluster too. */
    static String redisKey(String key, String part) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("A login throttle key is 1 to " + MAX_KEY_LENGTH + " characters");
        }
        return PREFIX + "{" + key + "}:" + part;
    }

    private void unavailable(Throwable error) {
        unavailable.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastWarning > 60_000) {
            lastWarning = now;
            log.warn("Login throttle unavailable (Redis: {}); logins proceed without the brute-force guard",
                    error.toString());
        }
    }
}
