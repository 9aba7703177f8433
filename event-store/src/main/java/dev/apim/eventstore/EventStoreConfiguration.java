package dev.apim.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.GenericSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * Axon's storage on PostgreSQL: the JDBC event storage engine and token store over the schema that
 * {@code db/event_store} migrations create (schema {@value #SCHEMA}), all with one JSON serializer.
 * No Axon Server.
 */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    /** The PostgreSQL schema that holds the event store, tokens and the command side's constraint tables. */
    public static final String SCHEMA = "event_store";

    public static EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable(SCHEMA + ".domain_event_entry")
                .snapshotTable(SCHEMA + ".snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    public static TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable(SCHEMA + ".token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    @Primary
    public Serializer serializer() {
        return EventSerialization.serializer();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return EventSerialization.serializer();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return EventSerialization.serializer();
    }

    @Bean
    public CorrelationDataProvider auditMetadata() {
        return new AuditMetadata();
    }

    /**
     * PostgreSQL's unique violation (SQLState 23505, which pgjdbc also puts on the {@code BatchUpdateException} of a
     * failed batch append) means a lost append race: Axon then throws a {@code ConcurrencyException}, which
     * {@code ConcurrentWriteRetry} retries. Axon's default ({@code JdbcSQLErrorCodesResolver}) only recognises
     * {@code SQLIntegrityConstraintViolationException}, which pgjdbc never throws, so the loser became a plain
     * {@code EventStoreException} (a 500). The only unique keys of {@code domain_event_entry} are (aggregate,
     * sequence) and the event identifier.
     */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver(UNIQUE_VIOLATION);
    }

    static final String UNIQUE_VIOLATION = "23505";

    @Bean
    public EventStorageEngine eventStorageEngine(DataSource dataSource, TransactionManager transactionManager,
                                                 @Qualifier("eventSerializer") Serializer serializer,
                                                 PersistenceExceptionResolver resolver,
                                                 List<EventUpcaster> upcasters) {
        return JdbcEventStorageEngine.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(transactionManager)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .upcasterChain(new EventUpcasterChain(upcasters))
                .persistenceExceptionResolver(resolver)
                .dataType(String.class)
                .schema(eventSchema())
                .appendEvents(new ReturningAppend("global_index"))
                .batchSize(500)
                .build();
    }

    /** Saga state and associations in {@value #SCHEMA} (JSON via the same serializer). */
    @Bean
    public SagaStore<Object> sagaStore(DataSource dataSource, Serializer serializer) {
        return JdbcSagaStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .sqlSchema(new GenericSagaSqlSchema(SagaSchema.builder()
                        .sagaEntryTable(SCHEMA + ".saga_entry")
                        .revisionColumn("revision")
                        .serializedSagaColumn("serialized_saga")
                        .associationValueEntryTable(SCHEMA + ".association_value_entry")
                        .associationKeyColumn("association_key")
                        .associationValueColumn("association_value")
                        .sagaIdColumn("saga_id")
                        .sagaTypeColumn("saga_type")
                        .build()))
                .serializer(serializer)
                .build();
    }

    /**
     * Segment claims of the event processors. {@code apim.processing.claim-timeout} (10 s) is how long a claim of a
     * node that died stays valid after its last extension; the owner is {@code apim.processing.node-id}, by default
     * {@code pid@host/<random>} so two nodes in one JVM (tests) or a restarted node never take each other's claims
     * for their own.
     */
    @Bean
    public TokenStore tokenStore(DataSource dataSource, Serializer serializer,
                                 @Value("${apim.processing.claim-timeout:10s}") Duration claimTimeout,
                                 @Value("${apim.processing.node-id:}") String nodeId) {
        return JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .serializer(serializer)
                .schema(tokenSchema())
                .contentType(String.class)
                .claimTimeout(claimTimeout)
                .nodeId(nodeId == null || nodeId.isBlank() ? defaultNodeId() : nodeId.trim())
                .build();
    }

    /** {@code pid@host/<8 hex>}: readable in {@code token_entry.owner} and unique per start. */
    static String defaultNodeId() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/"
                + java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt());
    }
}
