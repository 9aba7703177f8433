package dev.apim.query.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionApproved;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.event.SubscriptionRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRequested;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.domain.subscription.event.SubscriptionUnblocked;
import dev.apim.domain.workflow.WorkflowCompleted;
import dev.apim.domain.workflow.WorkflowCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

/**
 * Projects subscription and workflow events into {@code apimgtdb}. Subscription rows change only when the
 * event is newer than the row (version guard) and workflow rows are keyed by their id, so replays and
 * redeliveries change nothing.
 */
@ProcessingGroup("apimgtdb")
public class SubscriptionProjection {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public SubscriptionProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(SubscriptionCreated e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO apimgtdb.subscription (subscription_id, tenant, api_id, application_id, throttling_policy,
                    status, subscriber, aggregate_version, created_time, updated_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subscription_id) DO NOTHING""",
                e.subscriptionId(), e.tenant(), e.apiId(), e.applicationId(), e.throttlingPolicy(), e.status().name(),
                e.subscriber(), seq, ts(at), ts(at));
    }

    @EventHandler
    void on(SubscriptionApproved e, @SequenceNumber long seq, @Timestamp Instant at) {
        status(e.subscriptionId(), SubscriptionStatus.UNBLOCKED, seq, at);
    }

    @EventHandler
    void on(SubscriptionRejected e, @SequenceNumber long seq, @Timestamp Instant at) {
        status(e.subscriptionId(), SubscriptionStatus.REJECTED, seq, at);
    }

    @EventHandler
    void on(SubscriptionBlocked e, @SequenceNumber long seq, @Timestamp Instant at) {
        status(e.subscriptionId(), e.productionOnly() ? SubscriptionStatus.PROD_ONLY_BLOCKED : SubscriptionStatus.BLOCKED,
                seq, at);
    }

    @EventHandler
    void on(SubscriptionUnblocked e, @SequenceNumber long seq, @Timestamp Instant at) {
        status(e.subscriptionId(), SubscriptionStatus.UNBLOCKED, seq, at);
    }

    @EventHandler
    void on(SubscriptionTierChangeRequested e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("UPDATE apimgtdb.subscription SET requested_policy = ?, status_before_tier_change = status, "
                        + "status = ?, aggregate_version = ?, updated_time = ? "
                        + "WHERE subscription_id = ? AND aggregate_version < ?",
                e.requestedTier(), SubscriptionStatus.TIER_UPDATE_PENDING.name(), seq, ts(at), e.subscriptionId(), seq);
    }

    /** A decided tier change returns the subscription to the status it had when the change was requested. */
    @EventHandler
    void on(SubscriptionTierChanged e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE apimgtdb.subscription SET throttling_policy = ?, requested_policy = NULL,
                    status = CASE WHEN status = 'TIER_UPDATE_PENDING'
                                  THEN coalesce(status_before_tier_change, 'UNBLOCKED') ELSE status END,
                    status_before_tier_change = NULL, aggregate_version = ?, updated_time = ?
                WHERE subscription_id = ? AND aggregate_version < ?""",
                e.throttlingPolicy(), seq, ts(at), e.subscriptionId(), seq);
    }

    @EventHandler
    void on(SubscriptionTierChangeRejected e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE apimgtdb.subscription SET requested_policy = NULL,
                    status = coalesce(status_before_tier_change, 'UNBLOCKED'), status_before_tier_change = NULL,
                    aggregate_version = ?, updated_time = ? WHERE subscription_id = ? AND aggregate_version < ?""",
                seq, ts(at), e.subscriptionId(), seq);
    }

    @EventHandler
    void on(SubscriptionDeleted e) {
        jdbc.update("DELETE FROM apimgtdb.subscription WHERE subscription_id = ?", e.subscriptionId());
    }

    @EventHandler
    void on(WorkflowCreated e, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO apimgtdb.workflow (workflow_reference_id, tenant, workflow_type, reference_id, status,
                    description, properties, deadline, created_time, updated_time)
                VALUES (?, ?, ?, ?, 'CREATED', ?, ?::jsonb, ?, ?, ?) ON CONFLICT (workflow_reference_id) DO NOTHING""",
                e.workflowReferenceId(), e.tenant(), e.type().name(), e.referenceId(), e.description(),
                write(e.properties()), e.deadline() == null ? null : ts(e.deadline()), ts(at), ts(at));
    }

    @EventHandler
    void on(WorkflowCompleted e, @Timestamp Instant at) {
        jdbc.update("UPDATE apimgtdb.workflow SET status = ?, decided_by = ?, decision_description = ?, updated_time = ? "
                        + "WHERE workflow_reference_id = ? AND status = 'CREATED'",
                e.status().name(), e.decidedBy(), e.description(), ts(at), e.workflowReferenceId());
    }

    private void status(String subscriptionId, SubscriptionStatus status, long seq, Instant at) {
        jdbc.update("UPDATE apimgtdb.subscription SET status = ?, aggregate_version = ?, updated_time = ? "
                + "WHERE subscription_id = ? AND aggregate_version < ?", status.name(), seq, ts(at), subscriptionId, seq);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write read-model JSON", e);
        }
    }

    private static java.sql.Timestamp ts(Instant instant) {
        return java.sql.Timestamp.from(instant);
    }
}
