package dev.apim.query.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.platform.consistency.ReadModelProgress;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Segment;
import org.springframework.r2dbc.core.DatabaseClient;
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

/**
 * Read-your-writes across nodes: an event is visible once, in every read-model processor that handles its
 * type, the segment that owns its aggregate (Axon's sequential-per-aggregate policy, {@link Segment#matches})
 * has committed a token at or past its global index (and not as a gap). Other processors and segments are not
 * waited for: they advance their tokens over events they skip only lazily. Tokens are read from the shared token
 * table, so it holds whichever node runs the processors; processors on this node also signal each commit,
 * so a waiting request usually re-checks within a millisecond rather than at the next poll.
 */
public class TokenProgress implements ReadModelProgress {

    private static final Duration POLL = Duration.ofMillis(25);

    private final DatabaseClient db;
    private final ObjectMapper json;
    private final Map<String, Set<String>> handledTypes;
    private final Sinks.Many<Long> commits = Sinks.many().multicast().directBestEffort();

    /** @param handlers each processor's name and the projection classes whose {@code @EventHandler}s it runs */
    public TokenProgress(DatabaseClient db, ObjectMapper json, Map<String, List<Class<?>>> handlers) {
        this.db = db;
        this.json = json;
        Map<String, Set<String>> types = new LinkedHashMap<>();
        handlers.forEach((processor, classes) -> types.put(processor, handledTypes(classes)));
        this.handledTypes = Map.copyOf(types);
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

    /** The processors whose read models change on an event of this type. */
    List<String> processorsFor(String eventType) {
        return handledTypes.entrySet().stream()
                .filter(e -> eventType == null || e.getValue().contains(eventType))
                .map(Map.Entry::getKey).toList();
    }

    /** A processor interceptor that signals, after each batch commits, that tokens moved. */
    public MessageHandlerInterceptor<EventMessage<?>> commitSignal() {
        return (unitOfWork, chain) -> {
            unitOfWork.afterCommit(u -> commits.tryEmitNext(System.nanoTime()));
            return chain.proceed();
        };
    }

    @Override
    public Mono<Boolean> awaitProcessed(long globalIndex, String eventType, String aggregateId, Duration timeout) {
        List<String> processors = processorsFor(eventType);
        if (processors.isEmpty()) {
            return Mono.just(true);
        }
        Flux<Long> triggers = Flux.merge(Flux.just(0L), commits.asFlux(), Flux.interval(POLL))
                .onBackpressureLatest();
        return triggers.concatMap(t -> covered(processors, globalIndex, aggregateId), 1)
                .filter(Boolean::booleanValue)
                .next()
                .timeout(timeout, Mono.just(false));
    }

    /** True when each processor's segment that owns the aggregate (all segments if unknown) covers the index. */
    Mono<Boolean> covered(List<String> processors, long globalIndex, String aggregateId) {
        return db.sql("SELECT processor_name, segment, token FROM event_store.token_entry WHERE processor_name IN (:names)")
                .bind("names", processors)
                .map((row, meta) -> new TokenRow(row.get("processor_name", String.class),
                        row.get("segment", Integer.class), row.get("token", String.class)))
                .all()
                .collectList()
                .map(rows -> {
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
                });
    }

    private record TokenRow(String processor, int segment, String token) {}

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
