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
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface WritesAcrossAggregates {
}
