package dev.apim.gateway.throttle;

import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway's distributed throttler: every counter of a request is checked and, only if all admit, incremented,
 * by one Lua script in one Redis round trip ({@code EVALSHA}, {@code EVAL} when the server does not know the
 * script yet, e.g. after a restart).
 *
 * <p><b>Window algorithm: fixed windows aligned on the epoch of Redis's clock.</b> A counter with window {@code W}
 * counts requests in {@code [k·W, (k+1)·W)} where {@code k = floor(now / W)} and {@code now} is Redis's
 * {@code TIME}, so gateway clocks do not matter. A request is admitted when {@code used + cost ≤ limit} for every
 * counter; the script runs atomically, so however many nodes call it at once a window never admits more than the
 * limit, and admits exactly the limit when demand exceeds it. The counter's hash ({@code w} = window number,
 * {@code c} = used) is reset when {@code w} is not the current window and expires at the window's end. Known
 * property of fixed windows: a client may get up to 2 × limit within one window length straddling a boundary
 * (burst-control counters with short windows bound that).
 *
 * <p>The answer is the most constraining counter for an admitted request (least remaining) and the first refusing
 * counter in list order for a rejected one (the caller orders counters by precedence), with {@code retryAfter}
 * until the latest reset among all counters that refuse, so a client that waits that long is not refused by
 * another counter already full. Counters of one request may share a key (their costs add up).
 *
 * <p>Keys: {@code apim:throttle:{<shard>}:<window ms>:<counter key>} (a changed window starts a new count), a hash
 * each. The hash tag is the counter's {@link ThrottleCounter#shard() shard}, so on a Redis Cluster the counters of
 * one API (subscription, burst, API, resource) share a slot and different APIs spread over the shards. A request
 * whose counters all share a shard (the usual case: the application policy is unlimited) is one script, exact as
 * above. A request that also has an application counter (another shard) runs one script per shard, in list order;
 * when a later shard refuses, the counts already taken in earlier shards are given back (a refund script). Such a
 * request therefore never over-admits, but between the take and the refund a concurrent request may see the
 * earlier shard's counter one higher and be refused (under-admission, bounded by the requests in flight).
 *
 * <p>Redis unreachable (an error, or no answer within {@code redis-timeout}): the node goes degraded at once, every
 * decision is taken by {@code redis-down} (a {@link LocalThrottler} with this node's share, fail-open or
 * fail-closed) and marked {@code degraded}, and Redis is probed in the background ({@code SCRIPT LOAD}, which also
 * re-primes the script cache) after {@code probe-min-backoff}, doubling up to {@code probe-max-backoff}; the first
 * successful probe sends decisions back to Redis. A script call that timed out may still run in Redis later: that
 * counts a request twice (under-admits), never over-admits.
 */
public class RedisThrottler implements Throttler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisThrottler.class);

    static final String PREFIX = "apim:throttle:";

    /**
     * KEYS[i]: the hash of counter i ({@code w} window number, {@code c} used in it). ARGV[3i-2], ARGV[3i-1],
     * ARGV[3i]: its limit, cost and window in ms. Returns {admitted 1|0, counter index (1-based), used (after the
     * increment when admitted, before when refused), its window's end in ms, retry-after in ms (refused)}.
     */
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local n = #KEYS
            local win, after, pending = {}, {}, {}
            local refused, latest = 0, 0
            for i = 1, n do
              local key = KEYS[i]
              local limit = tonumber(ARGV[3 * i - 2])
              local cost = tonumber(ARGV[3 * i - 1])
              local size = tonumber(ARGV[3 * i])
              local w = math.floor(now / size)
              local used = pending[key]
              if used == nil then
                local state = redis.call('HMGET', key, 'w', 'c')
                used = 0
                if tonumber(state[1]) == w then used = tonumber(state[2]) or 0 end
              end
              win[i] = w
              after[i] = used + cost
              pending[key] = used + cost
              if used + cost > limit then
                if refused == 0 then refused = i end
                local reset = (w + 1) * size
                if reset > latest then latest = reset end
              end
            end
            if refused > 0 then
              local size = tonumber(ARGV[3 * refused])
              local cost = tonumber(ARGV[3 * refused - 1])
              return {0, refused, after[refused] - cost, (win[refused] + 1) * size, latest - now, now}
            end
            local tightest, least = 1, nil
            for i = 1, n do
              local size = tonumber(ARGV[3 * i])
              local reset = (win[i] + 1) * size
              redis.call('HSET', KEYS[i], 'w', win[i], 'c', after[i])
              redis.call('PEXPIREAT', KEYS[i], reset)
              local remaining = tonumber(ARGV[3 * i - 2]) - after[i]
              if least == nil or remaining < least then least, tightest = remaining, i end
            end
            return {1, tightest, after[tightest], (win[tightest] + 1) * tonumber(ARGV[3 * tightest]), 0, now}
            """;

    static final String SHA = sha1(SCRIPT);

    /**
     * Gives back what {@link #SCRIPT} took from counters of another shard's refused request. KEYS[i]: the counter;
     * ARGV[2i-1]: its cost, ARGV[2i]: its window in ms; ARGV[#ARGV]: the {@code now} the taking script saw. Only a
     * counter still in that window is decremented (a new window already started from zero).
     */
    static final String REFUND = """
            local now = tonumber(ARGV[#ARGV])
            for i = 1, #KEYS do
              local cost = tonumber(ARGV[2 * i - 1])
              local w = math.floor(now / tonumber(ARGV[2 * i]))
              local state = redis.call('HMGET', KEYS[i], 'w', 'c')
              if tonumber(state[1]) == w then
                local c = (tonumber(state[2]) or 0) - cost
                if c < 0 then c = 0 end
                redis.call('HSET', KEYS[i], 'c', c)
              end
            end
            return 1
            """;

    private static final ThrottleDecision UNLIMITED = ThrottleDecision.unlimited();
    private static final ThrottleDecision OPEN = new ThrottleDecision(true, null, -1, -1, null, null, true);

    private final RScript script;
    private final ThrottleProperties properties;
    private final LocalThrottler local;
    private final ThrottleMetrics metrics;
    private final AtomicBoolean redisAvailable = new AtomicBoolean(true);
    private volatile Instant degradedSince;
    private volatile Duration backoff;
    private volatile Disposable probe;
    private volatile boolean closed;

    public RedisThrottler(RedissonClient redisson, ThrottleProperties properties, MeterRegistry registry) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.properties = properties;
        this.local = new LocalThrottler(properties.nodes());
        this.metrics = new ThrottleMetrics(registry, this::isRedisAvailable);
        this.backoff = properties.probeMinBackoff();
    }

    @Override
    public Mono<ThrottleDecision> acquire(List<ThrottleCounter> counters) {
        int size = counters.size();
        if (size == 0) {
            return Mono.just(UNLIMITED);
        }
        if (!redisAvailable.get()) {
            return Mono.fromSupplier(() -> degraded(counters));
        }
        List<List<ThrottleCounter>> shards = byShard(counters);
        Mono<ThrottleDecision> decided = shards.size() == 1
                ? take(counters).map(answer -> decision(counters, answer))
                : acrossShards(shards, 0, new ArrayList<>());
        return decided
                .timeout(properties.redisTimeout())
                .doOnNext(metrics::record)
                .onErrorResume(e -> {
                    redisFailed(e);
                    return Mono.fromSupplier(() -> degraded(counters));
                });
    }

    /** The Redis key of a counter: its shard as the hash tag. */
    static String redisKey(ThrottleCounter counter) {
        return PREFIX + '{' + counter.shard() + "}:" + counter.window().toMillis() + ':' + counter.key();
    }

    /** The counters grouped by shard, groups in the order of their first counter. */
    static List<List<ThrottleCounter>> byShard(List<ThrottleCounter> counters) {
        java.util.Map<String, List<ThrottleCounter>> groups = new java.util.LinkedHashMap<>();
        for (ThrottleCounter counter : counters) {
            groups.computeIfAbsent(counter.shard(), k -> new ArrayList<>(counters.size())).add(counter);
        }
        return List.copyOf(groups.values());
    }

    /** One atomic check-and-take over counters of one shard; the script's raw answer. */
    private Mono<List<Object>> take(List<ThrottleCounter> counters) {
        int size = counters.size();
        List<Object> keys = new ArrayList<>(size);
        Object[] args = new Object[3 * size];
        for (int i = 0; i < size; i++) {
            ThrottleCounter counter = counters.get(i);
            keys.add(redisKey(counter));
            args[3 * i] = counter.limit();
            args[3 * i + 1] = counter.cost();
            args[3 * i + 2] = counter.window().toMillis();
        }
        return Mono.<List<Object>>fromCompletionStage(
                        () -> script.evalShaAsync(RScript.Mode.READ_WRITE, SHA, RScript.ReturnType.LIST, keys, args))
                .onErrorResume(RedisThrottler::isNoScript, e -> Mono.fromCompletionStage(
                        () -> script.evalAsync(RScript.Mode.READ_WRITE, SCRIPT, RScript.ReturnType.LIST, keys, args)));
    }

    /** A shard's counters and what the script answered for them. */
    private record Taken(List<ThrottleCounter> counters, long now, ThrottleDecision decision) {}

    /** Shard by shard; a refusal gives back what the earlier shards took. */
    private Mono<ThrottleDecision> acrossShards(List<List<ThrottleCounter>> shards, int next, List<Taken> taken) {
        if (next == shards.size()) {
            ThrottleDecision tightest = taken.get(0).decision();
            for (Taken t : taken) {
                if (t.decision().remaining() < tightest.remaining()) {
                    tightest = t.decision();
                }
            }
            return Mono.just(tightest);
        }
        List<ThrottleCounter> shard = shards.get(next);
        return take(shard).flatMap(answer -> {
            ThrottleDecision decision = decision(shard, answer);
            if (!decision.admitted()) {
                return Flux.fromIterable(taken).concatMap(this::refund).then(Mono.just(decision));
            }
            taken.add(new Taken(shard, ((Number) answer.get(5)).longValue(), decision));
            return acrossShards(shards, next + 1, taken);
        });
    }

    private Mono<Object> refund(Taken taken) {
        List<Object> keys = new ArrayList<>(taken.counters().size());
        Object[] args = new Object[2 * taken.counters().size() + 1];
        for (int i = 0; i < taken.counters().size(); i++) {
            ThrottleCounter counter = taken.counters().get(i);
            keys.add(redisKey(counter));
            args[2 * i] = counter.cost();
            args[2 * i + 1] = counter.window().toMillis();
        }
        args[args.length - 1] = taken.now();
        return Mono.fromCompletionStage(
                        () -> script.evalAsync(RScript.Mode.READ_WRITE, REFUND, RScript.ReturnType.LONG, keys, args))
                .onErrorResume(e -> {
                    log.debug("Throttling: a refund failed ({}); the counter stays one request higher", e.toString());
                    return Mono.empty();
                });
    }

    private static ThrottleDecision decision(List<ThrottleCounter> counters, List<Object> answer) {
        boolean admitted = ((Number) answer.get(0)).longValue() == 1;
        ThrottleCounter counter = counters.get(((Number) answer.get(1)).intValue() - 1);
        long used = ((Number) answer.get(2)).longValue();
        Instant reset = Instant.ofEpochMilli(((Number) answer.get(3)).longValue());
        if (admitted) {
            return new ThrottleDecision(true, null, counter.limit(), counter.limit() - used, reset, null, false);
        }
        return new ThrottleDecision(false, counter.level(), counter.limit(), Math.max(0, counter.limit() - used),
                reset, Duration.ofMillis(((Number) answer.get(4)).longValue()), false);
    }

    private ThrottleDecision degraded(List<ThrottleCounter> counters) {
        switch (properties.redisDown()) {
            case OPEN:
                metrics.record(OPEN);
                return OPEN;
            case CLOSED:
                ThrottleCounter first = counters.get(0);
                ThrottleDecision refused = new ThrottleDecision(false, first.level(), first.limit(), 0, null,
                        backoff, true);
                metrics.record(refused);
                return refused;
            default:
                ThrottleDecision decision = local.decide(counters);
                metrics.record(decision);
                return decision;
        }
    }

    private static boolean isNoScript(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof RedisNoScriptException) {
                return true;
            }
        }
        return false;
    }

    /** Whether decisions are taken in Redis now (false while this node is degraded), for health reporting. */
    public boolean isRedisAvailable() {
        return redisAvailable.get();
    }

    /** Since when this node has been deciding without Redis, or null when it is not. */
    public Instant degradedSince() {
        return redisAvailable.get() ? null : degradedSince;
    }

    private void redisFailed(Throwable error) {
        metrics.redisError();
        if (redisAvailable.compareAndSet(true, false)) {
            degradedSince = Instant.now();
            backoff = properties.probeMinBackoff();
            log.warn("Throttling: Redis did not answer ({}); deciding on this node ({}) until it is back",
                    error.toString(), properties.redisDown().name().toLowerCase(Locale.ROOT));
            scheduleProbe();
        }
    }

    private void scheduleProbe() {
        if (closed) {
            return;
        }
        probe = Schedulers.parallel().schedule(this::runProbe, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runProbe() {
        if (closed) {
            return;
        }
        Mono.fromCompletionStage(() -> script.scriptLoadAsync(SCRIPT))
                .timeout(properties.probeTimeout())
                .subscribe(sha -> {
                    if (redisAvailable.compareAndSet(false, true)) {
                        log.info("Throttling: Redis answers again; decisions are shared again (degraded since {})",
                                degradedSince);
                    }
                }, error -> {
                    metrics.redisError();
                    Duration doubled = backoff.multipliedBy(2);
                    backoff = doubled.compareTo(properties.probeMaxBackoff()) > 0 ? properties.probeMaxBackoff()
                            : doubled;
                    scheduleProbe();
                });
    }

    /** Stops probing. */
    @Override
    public void close() {
        closed = true;
        Disposable pending = probe;
        if (pending != null) {
            pending.dispose();
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
