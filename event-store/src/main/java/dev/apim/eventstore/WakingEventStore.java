package dev.apim.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store, wakeable from outside. Its producer thread (which feeds this node's tracking
 * processors) sleeps up to the fetch delay when it finds nothing new; Axon wakes it only when <em>this</em> node
 * commits. {@link #wake()} lets a notification about another node's commit do the same, and every local commit
 * is reported to {@code afterLocalCommit} (which tells the other nodes). The fetch delay stays as the fallback
 * for a missed notification.
 */
public class WakingEventStore extends EmbeddedEventStore {

    private final Runnable afterLocalCommit;
    private final KnownSnapshots snapshots;

    public WakingEventStore(Builder builder, Runnable afterLocalCommit) {
        this(builder, afterLocalCommit, null);
    }

    /**
     * With {@code snapshots}, an aggregate this node knows no snapshot of is read from its first event without
     * looking for a snapshot first (one round trip less per command; see {@link KnownSnapshots}).
     */
    public WakingEventStore(Builder builder, Runnable afterLocalCommit, KnownSnapshots snapshots) {
        super(builder);
        this.afterLocalCommit = afterLocalCommit;
        this.snapshots = snapshots;
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        if (snapshots != null && !snapshots.mayHave(aggregateIdentifier)) {
            return readEvents(aggregateIdentifier, 0L); // the same events, staged ones included, minus the lookup
        }
        return super.readEvents(aggregateIdentifier);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        if (snapshots != null) {
            snapshots.stored(snapshot.getAggregateIdentifier());
        }
        super.storeSnapshot(snapshot);
    }

    /** New events may be in storage: fetch now if the producer is waiting. */
    public void wake() {
        super.afterCommit(List.of());
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        if (!events.isEmpty()) {
            afterLocalCommit.run();
        }
    }
}
