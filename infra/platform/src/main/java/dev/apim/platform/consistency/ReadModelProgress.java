package dev.apim.platform.consistency;

import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Port for read-your-writes: completes with {@code true} once the read models that handle an event type have
 * processed the event at a global index, or {@code false} when the timeout passes first. Implemented by the
 * query side.
 */
public interface ReadModelProgress {
    Mono<Boolean> awaitProcessed(long globalIndex, String eventType, String aggregateId, Duration timeout);
}
