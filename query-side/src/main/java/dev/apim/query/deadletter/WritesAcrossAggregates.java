package dev.apim.query.deadletter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a projection handler whose writes touch (or are read by the writes of) another aggregate's rows. While a
 * processor replays, its handlers' writes are buffered per batch and may be reordered across aggregates to be sent as
 * JDBC batches ({@code dev.apim.platform.db.WriteBehind}); a marked handler's writes keep their place relative to
 * every other write of the batch instead. Unmarked handlers must only touch rows of the event's own aggregate.
 *
 * <p>A handler that <b>frees a value another aggregate may claim</b> under a unique key of the read model (a deleted
 * throttling policy's name, a removed key mapping's consumer key) must be marked too: otherwise the later claim (an
 * insert by another aggregate, possibly at a lower write-behind level) could be sent before the delete and violate
 * the unique key, failing the batch (found by {@code FreshNodeTest}: a policy deleted and another created with its
 * name in one replayed batch).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface WritesAcrossAggregates {
}
