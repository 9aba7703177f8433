package dev.apim.query.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.application.event.ApplicationDeleted;
import dev.apim.domain.application.event.ApplicationUpdated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Projects application events into {@code apimgtdb.application}: insert once, updates guarded by the aggregate
 * version, delete by id — replaying or redelivering an event changes nothing.
 */
@ProcessingGroup(ApplicationProjection.PROCESSOR)
public class ApplicationProjection {

    public static final String PROCESSOR = "apimgtdb";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ApplicationProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(ApplicationCreated e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO apimgtdb.application (application_id, tenant, owner, name, throttling_policy,
                        description, token_type, attributes, groups, aggregate_version, created_time, updated_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
                    ON CONFLICT (application_id) DO NOTHING""");
            ps.setString(1, e.applicationId());
            ps.setString(2, e.tenant());
            ps.setString(3, e.owner());
            ps.setString(4, e.name());
            ps.setString(5, e.throttlingPolicy());
            ps.setString(6, e.description());
            ps.setString(7, e.tokenType());
            ps.setString(8, write(e.attributes()));
            ps.setArray(9, con.createArrayOf("text", groups(e.groups())));
            ps.setLong(10, seq);
            ps.setTimestamp(11, Timestamp.from(at));
            ps.setTimestamp(12, Timestamp.from(at));
            return ps;
        });
    }

    @EventHandler
    void on(ApplicationUpdated e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    UPDATE apimgtdb.application SET name = ?, throttling_policy = ?, description = ?, token_type = ?,
                        attributes = ?::jsonb, groups = ?, aggregate_version = ?, updated_time = ?
                    WHERE application_id = ? AND aggregate_version < ?""");
            ps.setString(1, e.name());
            ps.setString(2, e.throttlingPolicy());
            ps.setString(3, e.description());
            ps.setString(4, e.tokenType());
            ps.setString(5, write(e.attributes()));
            ps.setArray(6, con.createArrayOf("text", groups(e.groups())));
            ps.setLong(7, seq);
            ps.setTimestamp(8, Timestamp.from(at));
            ps.setString(9, e.applicationId());
            ps.setLong(10, seq);
            return ps;
        });
    }

    @EventHandler
    void on(ApplicationDeleted e) {
        jdbc.update("DELETE FROM apimgtdb.application WHERE application_id = ?", e.applicationId());
    }

    private String write(Map<String, String> attributes) {
        try {
            return json.writeValueAsString(attributes == null ? Map.of() : attributes);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("Cannot write application attributes", ex);
        }
    }

    private static Object[] groups(List<String> groups) {
        return groups == null ? new Object[0] : groups.toArray();
    }
}
