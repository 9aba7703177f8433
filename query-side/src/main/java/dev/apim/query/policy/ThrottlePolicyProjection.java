package dev.apim.query.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.domain.policy.event.ThrottlePolicyCreated;
import dev.apim.domain.policy.event.ThrottlePolicyDeleted;
import dev.apim.domain.policy.event.ThrottlePolicyUpdated;
import dev.apim.query.deadletter.WritesAcrossAggregates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

/**
 * Projects throttling policy events into {@code apimgtdb.throttle_policy}. Inserts ignore a row that exists,
 * updates are guarded by the aggregate version, so replaying or redelivering an event changes nothing.
 */
@ProcessingGroup(ThrottlePolicyProjection.PROCESSOR)
public class ThrottlePolicyProjection {

    public static final String PROCESSOR = "apimgtdb";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ThrottlePolicyProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(ThrottlePolicyCreated e, EventMessage<?> message, @SequenceNumber long seq, @Timestamp Instant at) {
        ThrottlePolicyDefinition d = e.definition();
        Object principal = message.getMetaData().get("principal");
        jdbc.update("""
                INSERT INTO apimgtdb.throttle_policy (policy_id, tenant, policy_level, name, display_name, description,
                    definition, requires_approval, aggregate_version, created_by, created_time, updated_time)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
                ON CONFLICT (policy_id) DO NOTHING""",
                e.policyId(), e.tenant(), e.level().name(), d.policyName(), d.displayName(), d.description(),
                write(d), d.requiresApproval(), seq, principal == null ? null : principal.toString(),
                java.sql.Timestamp.from(at), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(ThrottlePolicyUpdated e, @SequenceNumber long seq, @Timestamp Instant at) {
        ThrottlePolicyDefinition d = e.definition();
        jdbc.update("""
                UPDATE apimgtdb.throttle_policy SET display_name = ?, description = ?, definition = ?::jsonb,
                    requires_approval = ?, aggregate_version = ?, updated_time = ?
                WHERE policy_id = ? AND aggregate_version < ?""",
                d.displayName(), d.description(), write(d), d.requiresApproval(), seq, java.sql.Timestamp.from(at),
                e.policyId(), seq);
    }

    /** Frees the policy's name (unique per tenant and level) for another policy: a write-behind barrier. */
    @WritesAcrossAggregates
    @EventHandler
    void on(ThrottlePolicyDeleted e) {
        jdbc.update("DELETE FROM apimgtdb.throttle_policy WHERE policy_id = ?", e.policyId());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("Cannot serialize a policy definition", ex);
        }
    }
}
