package dev.apim.eventstore;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The aggregates this node knows to have a snapshot. Axon looks for a snapshot before loading any aggregate, one
 * round trip per command, although only aggregates with a snapshot trigger (today {@code Api}, every 100 events)
 * ever get one. With this set the event store skips that lookup for every other aggregate.
 *
 * <p>It is filled once from the snapshot table (on first use) and then by this node's own snapshots. Knowledge
 * that is behind (another node wrote the first snapshot of an aggregate since) is never wrong, only slower: the
 * aggregate is then loaded from its first event, which gives the same state (snapshots are derived from the
 * events, which are never deleted), and this node's own snapshot trigger fires on that long load and adds it here.
 */
public final class KnownSnapshots {

    private final JdbcTemplate jdbc;
    private final String snapshotTable;
    private final Set<String> aggregates = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;

    public KnownSnapshots(JdbcTemplate jdbc, String snapshotTable) {
        this.jdbc = jdbc;
        this.snapshotTable = snapshotTable;
    }

    /** False only when this node knows of no snapshot of the aggregate. */
    public boolean mayHave(String aggregateIdentifier) {
        if (!loaded) {
            load();
        }
        return aggregates.contains(aggregateIdentifier);
    }

    /** This node stored (or is storing) a snapshot of the aggregate. */
    public void stored(String aggregateIdentifier) {
        aggregates.add(aggregateIdentifier);
    }

    private synchronized void load() {
        if (!loaded) {
            aggregates.addAll(jdbc.queryForList("SELECT DISTINCT aggregate_identifier FROM " + snapshotTable,
                    String.class));
            loaded = true;
        }
    }
}
