package dev.apim.query.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.platform.consistency.ReadModelProgress;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Segment;
import org.springframework.r2dbc.core.DatabaseClient;
import dev.apim.platform.db.ChangeSignals;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read-your-writes across nodes: an event is visible once, in every read-model processor that handles its
 * type, the segment that owns its aggregate (Axon's sequential-per-aggregate policy, {@link Segment#matches})
 * has committed a token at or past its global index (and not as a gap). Other processors and segments are not
 * waited for: they advance their tokens over events they skip only lazily. Tokens are read from the shared token
 * table, so it holds whichever node runs the processors.
 *
 * <p>One reader for all waiters: the token rows are re-read (one query, never two at once) when a processor on
 * this node commits, when another node says one did ({@link ChangeSignals}, LISTEN/NOTIFY), and — only while
 * someone waits — at a fallback interval: {@code apim.consistency.fallback-poll} (25 ms) while the LISTEN
 * connection is down, 40 times that while it is up (a safety net for a lost notification). Waiters judge the
 * latest rows in memory, so a hundred concurrent writes cost one query per commit, not a hundred.
 */
public class TokenProgress implements ReadModelProgress {

    private static final Duration DEFAULT_POLL = Duration.ofMillis(25);
    private static final int LISTENING_POLL_FACTOR = 40;

    private final DatabaseClient db;
    private final ObjectMapper json;
    private final Map<String, Set<String>> handledTypes;
    private final ChangeSignals signals;
    private final Duration fallbackPoll;
    private final Sinks.Many<List<TokenRow>> snapshots = Sinks.many().replay().latest();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean readAgain = new AtomicBoolean();
    private final AtomicInteger waiters = new AtomicInteger();
    private final AtomicLong reads = new AtomicLong();
    private volatile long lastReadNanos;
    private final Disposable signalSubscription;

    /** @param handlers each processor's name and the projection classes whose {@code @EventHandler}s it runs */
    public TokenProgress(DatabaseClient db, ObjectMapper json, Map<String, List<Class<?>>> handlers) {
        this(db, json, handlers, null, DEFAULT_POLL);
    }

    /**
     * @param signals      commit signals (local and other nodes'); null = only the fallback poll
     * @param fallbackPoll re-read interval while no LISTEN connection is up
     */
    public TokenProgress(DatabaseClient db, ObjectMapper json, Map<String, List<Class<?>>> handlers,
                         ChangeSignals signals, Duration fallbackPoll) {
        this.db = db;
        this.json = json;
        Map<String, Set<String>> types = new LinkedHashMap<>();
        handlers.forEach((processor, classes) -> types.put(processor, handledTypes(classes)));
        this.handledTypes = Map.copyOf(types);
        this.signals = signals;
        this.fallbackPoll = fallbackPoll;
        this.signalSubscription = signals == null ? null : signals.remote()
                .filter(kind -> kind == ChangeSignals.Kind.TOKENS && waiters.get() > 0)
                .subscribe(kind -> readTokens());
    }

    private static Set<String> handledTypes(List<Class<?>> projections) {
        Set<String> types = new HashSet<>();
        for (Class<?> projection : projections) {
            for (Method method : projection.getDeclaredMethods()) {
                if (method.isAnnotationPresent(EventHandler.class) && method.getParameterCount() > 0) {
                    types.add(method.getParameterTypes()[0].getName());
                }
            }
        }
        return Set.copyOf(types);
    }

    /** The read-model processors this tracker knows. */
    public java.util.Set<String> processors() {
        return handledTypes.keySet();
    }

    /** How many times the token rows were read (for benchmarks). */
    public long tokenReads() {
        return reads.get();
    }

    /** The processors whose read models change on an event of this type. */
    List<String> processorsFor(String eventType) {
        return handledTypes.entrySet().stream()
                .filter(e -> eventType == null || e.getValue().contains(eventType))
                .map(Map.Entry::getKey).toList();
    }

    /** A processor interceptor that signals, after each batch commits, that tokens moved (here and to other nodes). */
    public MessageHandlerInterceptor<EventMessage<?>> commitSignal() {
        return (unitOfWork, chain) -> {
            unitOfWork.afterCommit(u -> {
                if (signals != null) {
                    signals.committed(ChangeSignals.Kind.TOKENS);
                }
                if (waiters.get() > 0) {
                    readTokens();
                }
            });
            return chain.proceed();
        };
    }

    @Override
    public Mono<Boolean> awaitProcessed(long globalIndex, String eventType, String aggregateId, Duration timeout) {
        List<String> processors = processorsFor(eventType);
        if (processors.isEmpty()) {
            return Mono.just(true);
        }
        Flux<Long> poll = Flux.interval(fallbackPoll)
                .filter(tick -> signals == null || !signals.listening() || tick % LISTENING_POLL_FACTOR == 0)
                .doOnNext(tick -> {
                    if (System.nanoTime() - lastReadNanos >= fallbackPoll.toNanos() / 2) {
                        readTokens();
                    }
                });
        return Flux.merge(snapshots.asFlux().map(rows -> coveredIn(rows, processors, globalIndex, aggregateId)),
                        poll.map(tick -> false))
                .filter(Boolean::booleanValue)
                .next()
                .doOnSubscribe(s -> {
                    waiters.incrementAndGet();
                    readTokens();
                })
                .doFinally(s -> waiters.decrementAndGet())
                .timeout(timeout, Mono.just(false));
    }

    /** Starts one read of the token rows, or asks the read in flight to be followed by another. */
    void readTokens() {
        readAgain.set(true); // before the attempt: a read finishing meanwhile then starts another
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        readAgain.set(false);
        lastReadNanos = System.nanoTime();
        reads.incrementAndGet();
        db.sql("SELECT processor_name, segment, token FROM event_store.token_entry")
                .map((row, meta) -> new TokenRow(row.get("processor_name", String.class),
                        row.get("segment", Integer.class), row.get("token", String.class)))
                .all()
                .collectList()
                .subscribe(rows -> {
                    snapshots.tryEmitNext(rows);
                    done();
                }, error -> reading.set(false)); // a failing database is retried by the waiters' poll, not in a loop
    }

    private void done() {
        reading.set(false);
        if (readAgain.get()) {
            readTokens();
        }
    }

    /** True when each processor's segment that owns the aggregate (all segments if unknown) covers the index. */
    Mono<Boolean> covered(List<String> processors, long globalIndex, String aggregateId) {
        return db.sql("SELECT processor_name, segment, token FROM event_store.token_entry WHERE processor_name IN (:names)")
                .bind("names", processors)
                .map((row, meta) -> new TokenRow(row.get("processor_name", String.class),
                        row.get("segment", Integer.class), row.get("token", String.class)))
                .all()
                .collectList()
                .map(rows -> coveredIn(rows, processors, globalIndex, aggregateId));
    }

    boolean coveredIn(List<TokenRow> rows, List<String> processors, long globalIndex, String aggregateId) {
        for (String processor : processors) {
            List<TokenRow> segments = rows.stream().filter(r -> r.processor().equals(processor)).toList();
            if (segments.isEmpty()) {
                return false;
            }
            int[] ids = segments.stream().mapToInt(TokenRow::segment).toArray();
            for (TokenRow row : segments) {
                boolean owns = aggregateId == null || Segment.computeSegment(row.segment(), ids).matches(aggregateId);
                if (owns && !covers(row.token(), globalIndex)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Stops following other nodes' signals. */
    public void close() {
        if (signalSubscription != null) {
            signalSubscription.dispose();
        }
    }

    record TokenRow(String processor, int segment, String token) {}

    /** Reads Axon's JSON token: a gap-aware token, possibly wrapped in a replay token. */
    boolean covers(String token, long globalIndex) {
        if (token == null) {
            return false;
        }
        try {
            JsonNode node = json.readTree(token);
            while (node.has("currentToken")) {
                node = node.get("currentToken");
            }
            if (node == null || !node.has("index")) {
                return false;
            }
            if (node.get("index").asLong() < globalIndex) {
                return false;
            }
            JsonNode gaps = node.get("gaps");
            if (gaps != null) {
                for (JsonNode gap : gaps) {
                    if (gap.asLong() == globalIndex) {
                        return false;
                    }
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
