package dev.apim.query.rebuild;

import dev.apim.platform.db.SchemaRedirect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * What a projection rebuild writes into and how it is switched in: the shadow copy the rebuild processor fills
 * while the live projection keeps serving, and the atomic swap that makes the shadow the live one.
 */
public interface RebuildTarget {

    /** The projection's name: its live processor's name. */
    String name();

    /** Fresh handler instances (or the live beans, when a {@link #redirect()} sends their writes elsewhere). */
    List<Object> handlers();

    /** Set on the rebuild processor's threads; null when the handlers already write into the shadow. */
    SchemaRedirect redirect();

    /**
     * Whether the handlers' writes may be buffered per batch and sent as JDBC batches
     * ({@link dev.apim.query.deadletter.BufferedBatchWrites}): true for handlers that write only SQL through the
     * node's JdbcTemplate.
     */
    default boolean bufferWrites() {
        return false;
    }

    /** Drops any leftover shadow and creates an empty one. */
    void prepare();

    /** Inside the switch transaction, after the live processor's token was moved: make the shadow live. */
    void swap(JdbcTemplate jdbc);

    /** After the switch committed: remove what the swap left (the old schema). */
    void afterSwap(JdbcTemplate jdbc);

    /** Cancel or failure: drop the shadow. */
    void discard();
}
