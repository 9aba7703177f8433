package dev.apim.query.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Lists, retries and discards the projections' dead letters ({@link DeadLetterQueues}). Blocking (JDBC and the
 * processor's own dead-letter handling): call it off the event loop. Every operation is scoped to a tenant: a
 * letter belongs to the tenant in its event's metadata.
 */
public class DeadLetterAdmin {

    private static final String SELECT = "SELECT d.dead_letter_id, d.processing_group, d.sequence_identifier, "
            + "d.sequence_index, d.payload_type, d.event_identifier, d.aggregate_identifier, e.global_index, "
            + "d.cause_type, d.cause_message, d.enqueued_at, d.last_touched, d.diagnostics "
            + "FROM " + DeadLetterQueues.TABLE + " d "
            + "LEFT JOIN event_store.domain_event_entry e ON e.event_identifier = d.event_identifier "
            + "WHERE convert_from(d.meta_data, 'UTF8')::jsonb ->> 'tenant' = ? ";

    private final JdbcTemplate jdbc;
    private final Set<String> groups;
    private final Function<String, Optional<SequencedDeadLetterProcessor<EventMessage<?>>>> processors;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param groups     the processing groups that have a dead-letter queue
     * @param processors the dead-letter processor of a processing group (Axon's
     *                   {@code EventProcessingConfiguration#sequencedDeadLetterProcessor})
     */
    public DeadLetterAdmin(JdbcTemplate jdbc, Set<String> groups,
                           Function<String, Optional<SequencedDeadLetterProcessor<EventMessage<?>>>> processors) {
        this.jdbc = jdbc;
        this.groups = Set.copyOf(groups);
        this.processors = processors;
    }

    /** The processing groups with a dead-letter queue. */
    public Set<String> processingGroups() {
        return groups;
    }

    /** The tenant's dead letters, of one processing group or (null) of all. */
    public List<DeadLetterDto> list(String tenant, String processingGroup) {
        if (processingGroup == null) {
            return jdbc.query(SELECT + "ORDER BY d.processing_group, d.sequence_identifier, d.sequence_index",
                    this::row, tenant);
        }
        return jdbc.query(SELECT + "AND d.processing_group = ? ORDER BY d.sequence_identifier, d.sequence_index",
                this::row, tenant, processingGroup);
    }

    public Optional<DeadLetterDto> find(String tenant, String id) {
        return jdbc.query(SELECT + "AND d.dead_letter_id = ?", this::row, tenant, id).stream().findFirst();
    }

    /**
     * Hands the letter's sequence back to its processing group's handlers, from the sequence's first letter so
     * the aggregate's events keep their order: each one handled leaves the queue, the first failure stays with
     * its attempt count raised. Empty when the tenant has no such letter.
     */
    public Optional<DeadLetterRetryDto> retry(String tenant, String id) {
        Optional<DeadLetterDto> letter = find(tenant, id);
        if (letter.isEmpty()) {
            return Optional.empty();
        }
        DeadLetterDto target = letter.get();
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processors.apply(target.processingGroup())
                .orElseThrow(() -> new IllegalStateException("No dead-letter processor for processing group "
                        + target.processingGroup() + " on this node"));
        processor.process(head -> head instanceof JdbcDeadLetter<?> stored
                && target.sequenceId().equals(stored.getSequenceIdentifier()));
        Optional<DeadLetterDto> remaining = find(tenant, id);
        return Optional.of(new DeadLetterRetryDto(id, remaining.isEmpty(), remaining.orElse(null)));
    }

    /** Removes the letter; later letters of its sequence stay parked. False when the tenant has no such letter. */
    public boolean discard(String tenant, String id) {
        return jdbc.update("DELETE FROM " + DeadLetterQueues.TABLE + " d WHERE d.dead_letter_id = ? "
                + "AND convert_from(d.meta_data, 'UTF8')::jsonb ->> 'tenant' = ?", id, tenant) > 0;
    }

    private DeadLetterDto row(ResultSet rs, int n) throws SQLException {
        long globalIndex = rs.getLong("global_index");
        Long index = rs.wasNull() ? null : globalIndex;
        return new DeadLetterDto(rs.getString("dead_letter_id"), rs.getString("processing_group"),
                rs.getString("sequence_identifier"), rs.getLong("sequence_index"), rs.getString("payload_type"),
                rs.getString("event_identifier"), rs.getString("aggregate_identifier"), index,
                rs.getString("cause_type"), rs.getString("cause_message"), rs.getString("enqueued_at"),
                rs.getString("last_touched"), attempts(rs.getBytes("diagnostics")));
    }

    /** The attempt count from the letter's diagnostics (JSON of Axon's MetaData). */
    private long attempts(byte[] diagnostics) {
        if (diagnostics == null || diagnostics.length == 0) {
            return 0;
        }
        try {
            JsonNode node = json.readTree(diagnostics).get(DeadLetterQueues.ATTEMPTS);
            return node != null && node.canConvertToLong() ? node.asLong() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
