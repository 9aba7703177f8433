package dev.apim.query.deadletter;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;

import javax.sql.DataSource;
import java.util.Collection;

/**
 * Axon's sequenced dead-letter queue for the projections' tracking processors, on PostgreSQL
 * ({@value #TABLE}, created by the event store's V9 migration). A handler that throws no longer stalls (or
 * silently skips) its processor: the event is parked with its cause, and so is every later event of the same
 * sequence (the aggregate, the processors' sequencing policy) until the parked ones are retried or discarded.
 * The dead-lettering invoker sits in front of the handlers, so it works for tracking as well as pooled
 * processors. Each parked letter counts its processing attempts in its diagnostics ({@value #ATTEMPTS}).
 */
public final class DeadLetterQueues {

    public static final String TABLE = "event_store.dead_letter_entry";
    /** Diagnostics key: how many times the letter's event was handled and failed (1 when first parked). */
    public static final String ATTEMPTS = "attempts";

    private DeadLetterQueues() {}

    public static DeadLetterSchema schema() {
        return DeadLetterSchema.builder()
                .deadLetterTable(TABLE)
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /**
     * Registers a dead-letter queue, the attempt-counting policy and the sequence-identifier cache (so a
     * processor does not ask the table about every event while nothing of that aggregate is parked) for each
     * processing group. Axon's transaction manager and serializers come from the Axon configuration.
     */
    public static void register(EventProcessingConfigurer processing, Collection<String> groups, DataSource dataSource) {
        for (String group : groups) {
            processing.registerDeadLetterQueue(group, c -> queue(group, dataSource, c))
                    .registerDeadLetterPolicy(group, c -> policy())
                    .registerDeadLetteringEventHandlerInvokerConfiguration(group,
                            (c, builder) -> builder.enableSequenceIdentifierCache());
        }
    }

    static JdbcSequencedDeadLetterQueue<EventMessage<?>> queue(String group, DataSource dataSource, Configuration c) {
        return JdbcSequencedDeadLetterQueue.builder()
                .processingGroup(group)
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(c.getComponent(TransactionManager.class))
                .schema(schema())
                .genericSerializer(c.serializer())
                .eventSerializer(c.eventSerializer())
                .build();
    }

    /** Every failure parks the event; each failed attempt (first handling or a retry) adds one to its count. */
    public static EnqueuePolicy<EventMessage<?>> policy() {
        return DeadLetterQueues::decide;
    }

    private static EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        return Decisions.enqueue(cause, l -> l.diagnostics().and(ATTEMPTS, attempts(l.diagnostics()) + 1));
    }

    static long attempts(MetaData diagnostics) {
        return diagnostics.get(ATTEMPTS) instanceof Number n ? n.longValue() : 0;
    }
}
