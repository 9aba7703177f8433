package dev.apim.query.publisher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiDocument;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import dev.apim.domain.api.event.ApiDocumentAdded;
import dev.apim.domain.api.event.ApiDocumentContentUpdated;
import dev.apim.domain.api.event.ApiDocumentDeleted;
import dev.apim.domain.api.event.ApiDocumentUpdated;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiRevisionCreated;
import dev.apim.domain.api.event.ApiRevisionDeleted;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiRevisionUndeployed;
import dev.apim.domain.api.event.ApiUpdated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Projects API events into {@code apimgtdb}. Every statement is an upsert or guarded by the aggregate version,
 * so replaying or redelivering an event changes nothing.
 */
@ProcessingGroup(ApiProjection.PROCESSOR)
public class ApiProjection {

    public static final String PROCESSOR = "apimgtdb";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ApiProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(ApiCreated e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        ApiDefinition d = e.definition();
        // The row and the removal of any earlier operations in one statement, then the operations. No statement
        // reads a result: while replaying, the writes are buffered and sent as JDBC batches (WriteBehind).
        jdbc.update("""
                WITH created AS (
                    INSERT INTO apimgtdb.api (api_id, tenant, name, context, version, provider, description, type,
                        lifecycle_status, definition, openapi, aggregate_version, created_time, updated_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
                    ON CONFLICT (api_id) DO NOTHING)
                DELETE FROM apimgtdb.api_operation WHERE api_id = ?""",
                e.apiId(), e.tenant(), d.name(), d.context(), d.version(), d.provider(), d.description(), d.type(),
                ApiLifecycleState.CREATED.name(), write(d), e.openApiDefinition(), seq, ts(at), ts(at), e.apiId());
        insertOperations(e.apiId(), d);
    }

    @EventHandler
    void on(ApiUpdated e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        ApiDefinition d = e.definition();
        // One statement, reading nothing back: the row, and only when this event is newer than the row, the removal
        // of its operations and the insertion of the new ones. The removal runs first (the insert waits for the
        // scalar subquery over it), so operations the update keeps do not collide with their old rows.
        jdbc.update("""
                WITH changed AS (
                    UPDATE apimgtdb.api SET name = ?, provider = ?, description = ?, type = ?, definition = ?::jsonb,
                        openapi = coalesce(?, openapi), aggregate_version = ?, updated_time = ?
                    WHERE api_id = ? AND aggregate_version < ? RETURNING api_id),
                gone AS (DELETE FROM apimgtdb.api_operation WHERE api_id IN (SELECT api_id FROM changed) RETURNING 1)
                INSERT INTO apimgtdb.api_operation (api_id, verb, target, auth_type, throttling_policy, scopes)
                SELECT c.api_id, o.verb, o.target, o.auth_type, o.throttling_policy, o.scopes
                FROM changed c, jsonb_to_recordset(?::jsonb)
                    AS o(verb text, target text, auth_type text, throttling_policy text, scopes text[])
                WHERE (SELECT count(*) FROM gone) >= 0""",
                d.name(), d.provider(), d.description(), d.type(), write(d), e.openApiDefinition(), seq, ts(at),
                e.apiId(), seq, operations(d));
    }

    @EventHandler
    void on(ApiDeleted e) {
        jdbc.update("DELETE FROM apimgtdb.api WHERE api_id = ?", e.apiId());
        jdbc.update("DELETE FROM apimgtdb.api_lifecycle_history WHERE api_id = ?", e.apiId());
        jdbc.update("DELETE FROM apimgtdb.api_revision WHERE api_id = ?", e.apiId());
        jdbc.update("DELETE FROM apimgtdb.api_deployment WHERE api_id = ?", e.apiId());
        jdbc.update("DELETE FROM apimgtdb.api_document WHERE api_id = ?", e.apiId());
    }

    @EventHandler
    void on(ApiLifecycleChanged e, EventMessage<?> message, @SequenceNumber long seq,
            @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                WITH status AS (
                    UPDATE apimgtdb.api SET lifecycle_status = ?, aggregate_version = ?, updated_time = ?
                    WHERE api_id = ? AND aggregate_version < ?)
                INSERT INTO apimgtdb.api_lifecycle_history (event_id, api_id, previous_state, post_state, username,
                    updated_time, seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""",
                e.newState().name(), seq, ts(at), e.apiId(), seq,
                message.getIdentifier(), e.apiId(), e.previousState().name(), e.newState().name(),
                message.getMetaData().get("principal"), ts(at), seq);
    }

    @EventHandler
    void on(ApiRevisionCreated e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update(TOUCH + """
                INSERT INTO apimgtdb.api_revision (revision_id, api_id, number, description, definition, openapi,
                    created_time) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (revision_id) DO NOTHING""",
                seq, ts(at), e.apiId(), seq,
                e.revisionId(), e.apiId(), e.revisionNumber(), e.description(), write(e.definition()),
                e.openApiDefinition(), ts(at));
    }

    @EventHandler
    void on(ApiRevisionDeleted e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("DELETE FROM apimgtdb.api_revision WHERE revision_id = ?", e.revisionId());
        touch(e.apiId(), seq, at);
    }

    @EventHandler
    void on(ApiRevisionDeployed e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        for (var d : e.deployments()) {
            jdbc.update("""
                    INSERT INTO apimgtdb.api_deployment (api_id, environment, revision_id, vhost, display_on_devportal,
                        deployed_time) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (api_id, environment) DO UPDATE SET revision_id = EXCLUDED.revision_id,
                        vhost = EXCLUDED.vhost, display_on_devportal = EXCLUDED.display_on_devportal,
                        deployed_time = EXCLUDED.deployed_time""",
                    e.apiId(), d.environment(), e.revisionId(), d.vhost(), d.displayOnDevportal(), ts(at));
        }
        touch(e.apiId(), seq, at);
    }

    @EventHandler
    void on(ApiRevisionUndeployed e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        for (String environment : e.environments()) {
            jdbc.update("DELETE FROM apimgtdb.api_deployment WHERE api_id = ? AND environment = ? AND revision_id = ?",
                    e.apiId(), environment, e.revisionId());
        }
        touch(e.apiId(), seq, at);
    }

    @EventHandler
    void on(ApiDocumentAdded e, EventMessage<?> message, @SequenceNumber long seq,
            @org.axonframework.eventhandling.Timestamp Instant at) {
        ApiDocument d = e.document();
        Object user = message.getMetaData().get("principal");
        jdbc.update(TOUCH + """
                INSERT INTO apimgtdb.api_document (document_id, api_id, name, type, summary, source_type, source_url,
                    visibility, other_type_name, inline_content, created_by, created_time, updated_by, updated_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document_id) DO NOTHING""",
                seq, ts(at), e.apiId(), seq,
                e.documentId(), e.apiId(), d.name(), d.type(), d.summary(), d.sourceType(), d.sourceUrl(),
                d.visibility(), d.otherTypeName(), e.inlineContent(), user, ts(at), user, ts(at));
    }

    @EventHandler
    void on(ApiDocumentUpdated e, EventMessage<?> message, @SequenceNumber long seq,
            @org.axonframework.eventhandling.Timestamp Instant at) {
        ApiDocument d = e.document();
        jdbc.update("""
                UPDATE apimgtdb.api_document SET name = ?, type = ?, summary = ?, source_type = ?, source_url = ?,
                    visibility = ?, other_type_name = ?, updated_by = ?, updated_time = ? WHERE document_id = ?""",
                d.name(), d.type(), d.summary(), d.sourceType(), d.sourceUrl(), d.visibility(), d.otherTypeName(),
                message.getMetaData().get("principal"), ts(at), e.documentId());
        touch(e.apiId(), seq, at);
    }

    @EventHandler
    void on(ApiDocumentContentUpdated e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE apimgtdb.api_document SET inline_content = ?, updated_time = ? WHERE document_id = ?",
                e.content(), ts(at), e.documentId());
        touch(e.apiId(), seq, at);
    }

    @EventHandler
    void on(ApiDocumentDeleted e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("DELETE FROM apimgtdb.api_document WHERE document_id = ?", e.documentId());
        touch(e.apiId(), seq, at);
    }

    /**
     * {@link #touch} as a CTE in front of the event's own statement (parameters: seq, time, api id, seq), so both
     * take one round trip; they write different tables.
     */
    private static final String TOUCH = "WITH touched AS (UPDATE apimgtdb.api SET aggregate_version = ?, "
            + "updated_time = ? WHERE api_id = ? AND aggregate_version < ?)\n";

    /** Records that the API changed (its ETag moves with every event of the aggregate). */
    private void touch(String apiId, long seq, Instant at) {
        jdbc.update("UPDATE apimgtdb.api SET aggregate_version = ?, updated_time = ? WHERE api_id = ? "
                + "AND aggregate_version < ?", seq, ts(at), apiId, seq);
    }

    /** Inserts the definition's operations; the caller removed the earlier ones. */
    private void insertOperations(String apiId, ApiDefinition d) {
        jdbc.batchUpdate("INSERT INTO apimgtdb.api_operation (api_id, verb, target, auth_type, throttling_policy, scopes) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", d.operations(), 100,
                (ps, op) -> {
                    ApiOperation o = op;
                    ps.setString(1, apiId);
                    ps.setString(2, o.verb());
                    ps.setString(3, o.target());
                    ps.setString(4, o.authType());
                    ps.setString(5, o.throttlingPolicy());
                    ps.setArray(6, ps.getConnection().createArrayOf("text", o.scopes().toArray()));
                });
    }

    /** The definition's operations as a JSON array of rows for {@code jsonb_to_recordset}. */
    private String operations(ApiDefinition d) {
        java.util.List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>(d.operations().size());
        for (ApiOperation o : d.operations()) {
            java.util.Map<String, Object> row = new java.util.HashMap<>();
            row.put("verb", o.verb());
            row.put("target", o.target());
            row.put("auth_type", o.authType());
            row.put("throttling_policy", o.throttlingPolicy());
            row.put("scopes", o.scopes());
            rows.add(row);
        }
        return write(rows);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write read-model JSON", e);
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
