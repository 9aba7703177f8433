package dev.apim.eventstore;

import dev.apim.testsupport.TestServices;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Skipping Axon's snapshot lookup for aggregates without a known snapshot, on PostgreSQL with two event stores
 * over one database (two nodes): the node that does not know of another node's snapshot still reads the whole,
 * correct stream; a node that knows (started after it, or stored one itself) reads from the snapshot; and events
 * staged in the current unit of work are read either way.
 */
class KnownSnapshotsTest {

    private static final String SNAPSHOTS = EventStoreConfiguration.SCHEMA + ".snapshot_event_entry";
    private static JdbcTemplate jdbc;
    private static EventStorageEngine engine;
    private static SpringTransactionManager tx;
    private static final List<WakingEventStore> stores = new ArrayList<>();

    @BeforeAll
    static void start() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("writepath_known_snapshots"));
        Flyway.configure().dataSource(dataSource).schemas(EventStoreConfiguration.SCHEMA).createSchemas(true)
                .locations("classpath:db/event_store").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        tx = new SpringTransactionManager(new JdbcTransactionManager(dataSource));
        var serializer = EventSerialization.serializer();
        var config = new EventStoreConfiguration();
        engine = config.eventStorageEngine(dataSource, tx, serializer, config.persistenceExceptionResolver(), List.of());
    }

    @AfterAll
    static void stop() {
        stores.forEach(EmbeddedEventStore::shutDown);
    }

    private static WakingEventStore node() {
        WakingEventStore store = new WakingEventStore(EmbeddedEventStore.builder().storageEngine(engine), () -> { },
                new KnownSnapshots(jdbc, SNAPSHOTS));
        stores.add(store);
        return store;
    }

    @Test
    void aStaleNodeReadsTheWholeStreamAndAKnowingNodeStartsAtTheSnapshot() {
        String id = UUID.randomUUID().toString();
        WakingEventStore a = node();
        WakingEventStore b = node();
        assertThat(sequences(a, id)).isEmpty();   // both have loaded what the table held: nothing for id
        assertThat(sequences(b, id)).isEmpty();
        append(a, id, 0, 5);

        // node B snapshots at sequence 4; node A does not know
        b.storeSnapshot(new GenericDomainEventMessage<>("Thing", id, 4, "state at 4"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + SNAPSHOTS + " WHERE aggregate_identifier = ?",
                Long.class, id)).isEqualTo(1);

        assertThat(sequences(a, id)).containsExactly(0L, 1L, 2L, 3L, 4L);   // no lookup: every event, still right
        assertThat(sequences(b, id)).containsExactly(4L);                   // the snapshot (its payload) only
        assertThat(payloads(b, id)).containsExactly("state at 4");

        WakingEventStore c = node();                                        // a node started later loads the table
        assertThat(sequences(c, id)).containsExactly(4L);

        append(a, id, 5, 2);
        assertThat(sequences(a, id)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(sequences(c, id)).containsExactly(4L, 5L, 6L);

        a.storeSnapshot(new GenericDomainEventMessage<>("Thing", id, 6, "state at 6"));  // A learns by its own
        assertThat(sequences(a, id)).containsExactly(6L);
    }

    @Test
    void stagedEventsOfTheUnitOfWorkAreReadWithoutTheLookup() {
        String id = UUID.randomUUID().toString();
        WakingEventStore a = node();
        append(a, id, 0, 2);
        var uow = DefaultUnitOfWork.startAndGet(null);
        try {
            a.publish(event(id, 2));
            assertThat(sequences(a, id)).containsExactly(0L, 1L, 2L);
        } finally {
            uow.rollback();
        }
        assertThat(sequences(a, id)).containsExactly(0L, 1L);
    }

    private static void append(WakingEventStore store, String id, long first, int count) {
        var uow = DefaultUnitOfWork.startAndGet(null);
        uow.attachTransaction(tx);
        for (long s = first; s < first + count; s++) {
            store.publish(event(id, s));
        }
        uow.commit();
    }

    private static DomainEventMessage<?> event(String id, long sequence) {
        return new GenericDomainEventMessage<>("Thing", id, sequence, "event " + sequence);
    }

    private static List<Long> sequences(WakingEventStore store, String id) {
        List<Long> out = new ArrayList<>();
        store.readEvents(id).forEachRemaining(m -> out.add(m.getSequenceNumber()));
        return out;
    }

    private static List<Object> payloads(WakingEventStore store, String id) {
        List<Object> out = new ArrayList<>();
        store.readEvents(id).forEachRemaining(m -> out.add(m.getPayload()));
        return out;
    }
}
