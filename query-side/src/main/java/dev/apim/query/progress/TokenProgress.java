package dev.apim.query.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.platform.consistency.ReadModelProgress;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;

/**
 * Read-your-writes across nodes: an event is visible once every segment of every read-model processor has
 * committed a token at or past its global index (and not as a gap). Tokens are read from the shared token
 * table, so it holds whichever node runs the processors; processors on this node also signal each commit,
 * so a waiting request usually re-checks within a millisecond rather than at the next poll.
 */
public class TokenProgress implements ReadModelProgress {

    private static final Duration POLL = Duration.ofMillis(25);

    private final DatabaseClient db;
    private final ObjectMapper json;
    private final List<String> processors;
    private final Sinks.Many<Long> commits = Sinks.many().multicast().directBestEffort();

    public TokenProgress(DatabaseClient db, ObjectMapper json, List<String> processors) {
        this.db = db;
        this.json = json;
        this.processors = List.copyOf(processors);
    }

    /** A processor interceptor that signals, after each batch commits, that tokens moved. */
    public MessageHandlerInterceptor<EventMessage<?>> commitSignal() {
        return (unitOfWork, chain) -> {
            unitOfWork.afterCommit(u -> commits.tryEmitNext(System.nanoTime()));
            return chain.proceed();
        };
    }

    @Override
    public Mono<Boolean> awaitProcessed(long globalIndex, Duration timeout) {
        Flux<Object> triggers = Flux.merge(Flux.just(0L), commits.asFlux(), Flux.interval(POLL))
                .onBackpressureLatest();
        return triggers.concatMap(t -> covered(globalIndex), 1)
                .filter(Boolean::booleanValue)
                .next()
                .timeout(timeout, Mono.just(false));
    }

    /** True when every segment of every processor has processed (or passed) the event at the index. */
    Mono<Boolean> covered(long globalIndex) {
        return db.sql("SELECT processor_name, token FROM event_store.token_entry WHERE processor_name IN (:names)")
                .bind("names", processors)
                .map((row, meta) -> new String[]{row.get("processor_name", String.class), row.get("token", String.class)})
                .all()
                .collectList()
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return false;
                    }
                    for (String processor : processors) {
                        boolean any = false;
                        for (String[] row : rows) {
                            if (row[0].equals(processor)) {
                                any = true;
                                if (!covers(row[1], globalIndex)) {
                                    return false;
                                }
                            }
                        }
                        if (!any) {
                            return false;
                        }
                    }
                    return true;
                });
    }

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
