package dev.apim.query.deadletter;

import dev.apim.eventstore.EventSerialization;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.testsupport.TestServices;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A fresh database with every schema migrated and the product's event store on it (storage engine, serializer,
 * transactions), for tests that append a history and then replay it through real processors.
 */
public final class ReplayFixture {

    public static final String GROUP = "apimgtdb";

    public final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    public final JdbcTransactionManager transactions;
    public final SpringTransactionManager tx;
    public final Serializer serializer = EventSerialization.serializer();
    public final EventStoreConfiguration store = new EventStoreConfiguration();
    public final EventStorageEngine engine;

    public ReplayFixture(String databasePrefix) {
        dataSource.setUrl(TestServices.freshDatabase(databasePrefix));
        SchemaMigrations.migrate(dataSource);
        transactions = new JdbcTransactionManager(dataSource);
        tx = new SpringTransactionManager(transactions);
        engine = store.eventStorageEngine(dataSource, tx, serializer, store.persistenceExceptionResolver(), List.of());
    }

    /** Appends the history in one transaction, before any processor runs. */
    public void append(List<? extends EventMessage<?>> history) {
        tx.executeInTransaction(() -> engine.appendEvents(history));
    }

    public TokenStore tokenStore() {
        return store.tokenStore(dataSource, serializer, Duration.ofSeconds(10), "");
    }

    /**
     * Starts one tracking processor of {@link #GROUP} (batches of 100) over the stored history, with the node's
     * savepoint-per-event and replay fast path ({@code savepoints}) and its dead-letter queue, handling with
     * {@code projection}. The caller shuts the configuration down.
     */
    Configuration startProcessor(SavepointPerEvent savepoints, Object projection) {
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureTransactionManager(c -> tx)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> engine)
                .registerHandlerEnhancerDefinition(c -> savepoints);
        configurer.eventProcessing()
                .registerTokenStore(GROUP, c -> tokenStore())
                .registerTrackingEventProcessor(GROUP, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(100))
                .registerHandlerInterceptor(GROUP, c -> savepoints.replayBatchGuard(GROUP))
                .registerEventHandler(c -> projection);
        DeadLetterQueues.register(configurer.eventProcessing(), Set.of(GROUP), dataSource);
        Configuration axon = configurer.buildConfiguration();
        axon.start();
        return axon;
    }
}
