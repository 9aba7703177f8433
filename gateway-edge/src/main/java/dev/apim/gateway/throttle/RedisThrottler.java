package dev.apim.gateway.throttle;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 * each; every key the script touches is passed in {@code KEYS}. The hash tag is the counter's
 * {@link ThrottleCounter#shard() shard}: the counters of one API (subscription, burst, API, resource) share a slot,
 * the application counter has its application's. On standalone or Sentinel Redis the tag changes nothing: every
 * request is one script (micro-batched, below), exact as above. On a <b>Redis Cluster</b> a script may only touch
 * one slot, so requests are not batched there: a request whose counters all share a shard (the usual case: the
 * application policy is unlimited) is one script, exact as above; a request that also has an application counter
 * runs one script per shard, in list order, and when a later shard refuses, the counts already taken in earlier
 * shards are given back (a refund script). Such a request never over-admits, but between the take and the refund
 * a concurrent request may see the earlier shard's counter one higher and be refused (under-admission, bounded by
 * the requests in flight).
 *
 * <p>Redis unreachable (an error, or no answer within {@code redis-timeout}): the node goes degraded at once, every
 * decision is taken by {@code redis-down} (a {@link LocalThrottler} with this node's share, fail-open or
 * fail-closed) and marked {@code degraded}, and Redis is probed in the background ({@code SCRIPT LOAD}, which also
 * re-primes the script cache) after {@code probe-min-backoff}, doubling up to {@code probe-max-backoff}; the first
 * successful probe sends decisions back to Redis. A script call that timed out may still run in Redis later: that
 * counts a request twice (under-admits), never over-admits.
 *
 * <p><b>Micro-batching.</b> At most {@code batch-in-flight} script calls (default 1) are under way per node; requests
 * that arrive meanwhile queue and go together, up to {@code batch-max}, in the next call, which evaluates them one
 * after the other inside the one atomic script, each with its own all-or-nothing decision over its own counters and
 * seeing the charges of those before it. So every request still costs exactly one script evaluation in one Redis
 * round trip (its own or a shared one), the exactness above is unchanged (a batch is equivalent to its requests'
 * scripts run back to back, which Redis could have done anyway), and an idle node sends a request at once (no
 * added latency at low load); under load, the client-side cost of a call (encoding, futures, the connection, the
 * timeout timer) is paid once per batch instead of once per request. A failed or late call sends all its requests
 * to the degraded path. (Redis Cluster: no batching, see above.)
 */
public class RedisThrottler implements Throttler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisThrottler.class);

    static final String PREFIX = "apim:throttle:";

    /**
     * Evaluates a batch of requests in order, each exactly as if it ran alone: ARGV[1] = the number of requests;
     * then per request its counter count {@code n} followed by {@code n} triples (limit, cost, window ms); KEYS are
     * the counters' hashes, request after request ({@code w} window number, {@code c} used). A request is admitted
     * only if every one of its counters has room ({@code used + cost ≤ limit}), and then all of them are charged;
     * later requests of the batch see the earlier ones' charges. Returns five numbers per request: admitted 1|0,
     * counter index within the request (1-based), used (after the charge when admitted, before when refused), its
     * window's end in ms, retry-after in ms (refused); then, last, Redis's {@code now} in ms (for a refund). Counters are written once at the end (the script is atomic,
     * so nothing can observe the difference).
     */
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local state, ends, order, out = {}, {}, {}, {}
            local k, a = 0, 2
            for r = 1, tonumber(ARGV[1]) do
              local n = tonumber(ARGV[a])
              a = a + 1
              local win, after, pending = {}, {}, {}
              local refused, latest = 0, 0
              for i = 1, n do
                local key = KEYS[k + i]
                local limit = tonumber(ARGV[a + 3 * i - 3])
                local cost = tonumber(ARGV[a + 3 * i - 2])
                local size = tonumber(ARGV[a + 3 * i - 1])
                local w = math.floor(now / size)
                local used = pending[key]
                if used == nil then
                  local s = state[key]
                  if s == nil then
                    local h = redis.call('HMGET', key, 'w', 'c')
                    s = {tonumber(h[1]), tonumber(h[2]) or 0}
                    state[key] = s
                  end
                  used = 0
                  if s[1] == w then used = s[2] end
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
              local o = #out
              if refused > 0 then
                local size = tonumber(ARGV[a + 3 * refused - 1])
                local cost = tonumber(ARGV[a + 3 * refused - 2])
                out[o + 1], out[o + 2], out[o + 3] = 0, refused, after[refused] - cost
                out[o + 4], out[o + 5] = (win[refused] + 1) * size, latest - now
              else
                local tightest, least = 1, nil
                for i = 1, n do
                  local key = KEYS[k + i]
                  local reset = (win[i] + 1) * tonumber(ARGV[a + 3 * i - 1])
                  state[key] = {win[i], after[i]}
                  if ends[key] == nil then order[#order + 1] = key end
                  ends[key] = reset
                  local remaining = tonumber(ARGV[a + 3 * i - 3]) - after[i]
                  if least == nil or remaining < least then least, tightest = remaining, i end
                end
                out[o + 1], out[o + 2], out[o + 3] = 1, tightest, after[tightest]
                out[o + 4], out[o + 5] = (win[tightest] + 1) * tonumber(ARGV[a + 3 * tightest - 1]), 0
              end
              k = k + n
              a = a + 3 * n
            end
            for _, key in ipairs(order) do
              local s = state[key]
              redis.call('HSET', key, 'w', s[1], 'c', s[2])
              redis.call('PEXPIREAT', key, ends[key])
            end
            out[#out + 1] = now
            return out
            """;

    static final String SHA = sha1(SCRIPT);

    /**
     * Gives back what {@link #SCRIPT} took from the counters of one shard when another shard refused the request
     * (Redis Cluster only). KEYS[i]: the counter; ARGV[2i-1]: its cost, ARGV[2i]: its window in ms; ARGV[#ARGV]: the
     * {@code now} the taking script saw. Only a counter still in that window is decremented (a new window already
     * started from zero).
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

    /**
     * The calls' timeouts. A hashed wheel (ticks of {@value #TIMEOUT_TICK_MS} ms, one daemon thread for the JVM):
     * arming and cancelling a timeout only queue it, where a scheduled executor's {@code schedule}/{@code cancel}
     * re-sorted its queue and woke its thread on every call (measured: 2.6–4.6 µs of CPU per request on the
     * {@code parallel} threads, plus the context switches). A timeout fires up to one tick late.
     */
    static final int TIMEOUT_TICK_MS = 10;
    private static final HashedWheelTimer TIMEOUTS = new HashedWheelTimer(
            new DefaultThreadFactory("apim-throttle-timeout", true), TIMEOUT_TICK_MS, TimeUnit.MILLISECONDS, 64);

    private static final ThrottleDecision UNLIMITED = ThrottleDecision.unlimited();
    private static final ThrottleDecision OPEN = new ThrottleDecision(true, null, -1, -1, null, null, true);

    private final RScript script;
    private final ThrottleProperties properties;
    private final LocalThrottler local;
    private final ThrottleMetrics metrics;
    private final AtomicBoolean redisAvailable = new AtomicBoolean(true);
    /** Redis Cluster: one script per slot, no batching. */
    private final boolean cluster;
    /** Requests waiting for a free script call. */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Script calls under way. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Instant degradedSince;
    private volatile Duration backoff;
    private volatile Disposable probe;
    private volatile boolean closed;

    public RedisThrottler(RedissonClient redisson, ThrottleProperties properties, MeterRegistry registry) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.cluster = redisson.getConfig().isClusterConfig();
        this.properties = properties;
        this.local = new LocalThrottler(properties.nodes());
        this.metrics = new ThrottleMetrics(registry, this::isRedisAvailable);
        this.backoff = properties.probeMinBackoff();
    }

    /** One request waiting for its decision. */
    private record Pending(List<ThrottleCounter> counters, MonoSink<ThrottleDecision> sink) {}

    /** One script call: the requests it decides, delivered once (answer, error or timeout, whichever is first). */
    private static final class Batch extends AtomicBoolean {
        final Pending[] requests;
        volatile Timeout timer;

        Batch(Pending[] requests) {
            this.requests = requests;
        }
    }

    @Override
    public Mono<ThrottleDecision> acquire(List<ThrottleCounter> counters) {
        if (counters.isEmpty()) {
            return Mono.just(UNLIMITED);
        }
        if (!redisAvailable.get()) {
            return Mono.fromSupplier(() -> degraded(counters));
        }
        if (cluster) {
            return acquireOnCluster(counters);
        }
        return Mono.create(sink -> {
            queue.offer(new Pending(counters, sink));
            drain();
        });
    }

    /**
     * Sends waiting requests while fewer than {@code batch-in-flight} calls are under way. Called after every offer
     * and after every completed call, so a request never waits for anything but a call in flight.
     */
    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= properties.batchInFlight()) {
                return; // the call that completes next drains again
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            Pending[] batch = take();
            if (batch == null) {
                inFlight.decrementAndGet();
                continue;
            }
            Batch call = new Batch(batch);
            try {
                send(call);
            } catch (RuntimeException e) { // e.g. a client shut down: never leave the slot taken
                complete(call, null, e);
            }
        }
    }

    /**
     * For tests: occupies every call slot, as calls under way would, so that the requests that follow queue; the
     * returned action frees the slots and sends what queued.
     */
    Runnable holdCalls() {
        inFlight.addAndGet(properties.batchInFlight());
        return () -> {
            inFlight.addAndGet(-properties.batchInFlight());
            drain();
        };
    }

    private Pending[] take() {
        int max = properties.batchMax();
        Pending first = queue.poll();
        if (first == null) {
            return null;
        }
        Pending second = max > 1 ? queue.poll() : null;
        if (second == null) {
            return new Pending[] {first};
        }
        ArrayList<Pending> taken = new ArrayList<>(Math.min(max, 16));
        taken.add(first);
        taken.add(second);
        Pending next;
        while (taken.size() < max && (next = queue.poll()) != null) {
            taken.add(next);
        }
        return taken.toArray(new Pending[0]);
    }

    private void send(Batch batch) {
        if (!redisAvailable.get()) {
            complete(batch, null, null);
            return;
        }
        Pending[] requests = batch.requests;
        int total = 0;
        for (Pending p : requests) {
            total += p.counters.size();
        }
        List<Object> keys = new ArrayList<>(total);
        Object[] args = new Object[1 + requests.length + 3 * total];
        args[0] = requests.length;
        int a = 1;
        for (Pending p : requests) {
            List<ThrottleCounter> counters = p.counters;
            int size = counters.size();
            args[a++] = size;
            for (int i = 0; i < size; i++) {
                ThrottleCounter counter = counters.get(i);
                keys.add(redisKey(counter));
                args[a++] = counter.limit();
                args[a++] = counter.cost();
                args[a++] = counter.window().toMillis();
            }
        }
        // One timer per call (not per request): Redis's answer, its error or this, whichever comes first, decides.
        batch.timer = TIMEOUTS.newTimeout(
                t -> complete(batch, null, new TimeoutException("Redis did not answer within "
                        + properties.redisTimeout().toMillis() + " ms")),
                properties.redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        metrics.redisCall();
        script.<List<Object>>evalShaAsync(RScript.Mode.READ_WRITE, SHA, RScript.ReturnType.LIST, keys, args)
                .whenComplete((answer, error) -> {
                    if (error != null && isNoScript(error)) {
                        script.<List<Object>>evalAsync(RScript.Mode.READ_WRITE, SCRIPT, RScript.ReturnType.LIST,
                                        keys, args)
                                .whenComplete((again, failed) -> complete(batch, again, failed));
                    } else {
                        complete(batch, answer, error);
                    }
                });
    }

    /**
     * Delivers a call's decisions (or, on an error or a timeout, the degraded ones), frees its slot and sends what
     * waited meanwhile before running the callers' continuations.
     */
    private void complete(Batch batch, List<Object> answer, Throwable error) {
        if (!batch.compareAndSet(false, true)) {
            return; // already decided (answer after the timeout, or the other way round)
        }
        Timeout timer = batch.timer;
        if (timer != null) {
            timer.cancel();
        }
        Pending[] requests = batch.requests;
        boolean failed = error != null || answer == null || answer.size() != 5 * requests.length + 1;
        if (error != null) {
            redisFailed(error);
        } else if (answer != null && failed) {
            redisFailed(new IllegalStateException("unexpected script answer of " + answer.size() + " values"));
        } // neither: the node went degraded while these requests waited

        inFlight.decrementAndGet();
        drain();
        for (int i = 0; i < requests.length; i++) {
            Pending p = requests[i];
            ThrottleDecision decision;
            try {
                if (failed) {
                    decision = degraded(p.counters);
                } else {
                    decision = decision(p.counters, answer, 5 * i);
                    metrics.record(decision);
                }
            } catch (RuntimeException e) {
                p.sink.error(e);
                continue;
            }
            p.sink.success(decision);
        }
    }

    /** The Redis key of a counter: its shard as the hash tag. */
    static String redisKey(ThrottleCounter counter) {
        return PREFIX + '{' + counter.shard() + "}:" + counter.window().toMillis() + ':' + counter.key();
    }

    /** The counters grouped by shard, groups in the order of their first counter. */
    static List<List<ThrottleCounter>> byShard(List<ThrottleCounter> counters) {
        Map<String, List<ThrottleCounter>> groups = new LinkedHashMap<>();
        for (ThrottleCounter counter : counters) {
            groups.computeIfAbsent(counter.shard(), k -> new ArrayList<>(counters.size())).add(counter);
        }
        return List.copyOf(groups.values());
    }

    /** Redis Cluster: shard by shard, each one script (a batch of one request), with refunds on a refusal. */
    private Mono<ThrottleDecision> acquireOnCluster(List<ThrottleCounter> counters) {
        List<List<ThrottleCounter>> shards = byShard(counters);
        return acrossShards(shards, 0, new ArrayList<>(shards.size()))
                .timeout(properties.redisTimeout())
                .doOnNext(metrics::record)
                .onErrorResume(e -> {
                    redisFailed(e);
                    return Mono.fromSupplier(() -> degraded(counters));
                });
    }

    /** One atomic check-and-take over counters of one shard; the script's raw answer (six values). */
    private Mono<List<Object>> take(List<ThrottleCounter> counters) {
        int size = counters.size();
        List<Object> keys = new ArrayList<>(size);
        Object[] args = new Object[2 + 3 * size];
        args[0] = 1;
        args[1] = size;
        for (int i = 0; i < size; i++) {
            ThrottleCounter counter = counters.get(i);
            keys.add(redisKey(counter));
            args[2 + 3 * i] = counter.limit();
            args[3 + 3 * i] = counter.cost();
            args[4 + 3 * i] = counter.window().toMillis();
        }
        metrics.redisCall();
        return Mono.<List<Object>>fromCompletionStage(
                        () -> script.evalShaAsync(RScript.Mode.READ_WRITE, SHA, RScript.ReturnType.LIST, keys, args))
                .onErrorResume(RedisThrottler::isNoScript, e -> Mono.fromCompletionStage(
                        () -> script.evalAsync(RScript.Mode.READ_WRITE, SCRIPT, RScript.ReturnType.LIST, keys, args)));
    }

    /** A shard's counters and what the script answered for them. */
    private record Taken(List<ThrottleCounter> counters, long now, ThrottleDecision decision) {}

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
            if (answer.size() != 6) {
                return Mono.error(new IllegalStateException("unexpected script answer of " + answer.size()
                        + " values"));
            }
            ThrottleDecision decision = decision(shard, answer, 0);
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
                    log.debug("Throttling: a refund failed ({}); the counter stays higher by the request", e.toString());
                    return Mono.empty();
                });
    }

    private static ThrottleDecision decision(List<ThrottleCounter> counters, List<Object> answer, int at) {
        boolean admitted = ((Number) answer.get(at)).longValue() == 1;
        ThrottleCounter counter = counters.get(((Number) answer.get(at + 1)).intValue() - 1);
        long used = ((Number) answer.get(at + 2)).longValue();
        Instant reset = Instant.ofEpochMilli(((Number) answer.get(at + 3)).longValue());
        if (admitted) {
            return new ThrottleDecision(true, null, counter.limit(), counter.limit() - used, reset, null, false);
        }
        return new ThrottleDecision(false, counter.level(), counter.limit(), Math.max(0, counter.limit() - used),
                reset, Duration.ofMillis(((Number) answer.get(at + 4)).longValue()), false);
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
