package dev.apim.query.devportal;

import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiUpdated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Projects API events into {@code shareddb.api_search} for Developer Portal discovery. Inserts are keyed by
 * id and updates guarded by the aggregate version, so replaying or redelivering an event changes nothing.
 */
@ProcessingGroup("shareddb")
public class ApiSearchProjection {

    /** Name and tags weigh most, then the context, then the description. */
    static final String DOCUMENT = "setweight(to_tsvector('simple', coalesce(?, '')), 'A') || "
            + "setweight(to_tsvector('simple', coalesce(?, '')), 'A') || "
            + "setweight(to_tsvector('simple', coalesce(?, '')), 'B') || "
            + "setweight(to_tsvector('simple', coalesce(?, '')), 'C')";

    private final JdbcTemplate jdbc;

    public ApiSearchProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ApiCreated e, @SequenceNumber long seq, @Timestamp Instant at) {
        ApiDefinition d = e.definition();
        jdbc.update("INSERT INTO shareddb.api_search (api_id, tenant, name, context, version, provider, description, "
                        + "type, tags, policies, lifecycle_status, visibility, visible_roles, search_document, "
                        + "aggregate_version, created_time, updated_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + DOCUMENT
                        + ", ?, ?, ?) ON CONFLICT (api_id) DO NOTHING",
                ps -> {
                    int i = 1;
                    ps.setString(i++, e.apiId());
                    ps.setString(i++, e.tenant());
                    ps.setString(i++, d.name());
                    ps.setString(i++, d.context());
                    ps.setString(i++, d.version());
                    ps.setString(i++, d.provider());
                    ps.setString(i++, d.description());
                    ps.setString(i++, d.type());
                    ps.setArray(i++, ps.getConnection().createArrayOf("text", tags(d).toArray()));
                    ps.setArray(i++, ps.getConnection().createArrayOf("text", policies(d).toArray()));
                    ps.setString(i++, ApiLifecycleState.CREATED.name());
                    ps.setString(i++, visibility(d));
                    ps.setArray(i++, ps.getConnection().createArrayOf("text", roles(d).toArray()));
                    i = document(ps, i, d);
                    ps.setLong(i++, seq);
                    ps.setTimestamp(i++, java.sql.Timestamp.from(at));
                    ps.setTimestamp(i, java.sql.Timestamp.from(at));
                });
    }

    @EventHandler
    void on(ApiUpdated e, @SequenceNumber long seq, @Timestamp Instant at) {
        ApiDefinition d = e.definition();
        jdbc.update("UPDATE shareddb.api_search SET name = ?, provider = ?, description = ?, type = ?, tags = ?, "
                        + "policies = ?, visibility = ?, visible_roles = ?, search_document = " + DOCUMENT + ", aggregate_version = ?, "
                        + "updated_time = ? WHERE api_id = ? AND aggregate_version < ?",
                ps -> {
                    int i = 1;
                    ps.setString(i++, d.name());
                    ps.setString(i++, d.provider());
                    ps.setString(i++, d.description());
                    ps.setString(i++, d.type());
                    ps.setArray(i++, ps.getConnection().createArrayOf("text", tags(d).toArray()));
                    ps.setArray(i++, ps.getConnection().createArrayOf("text", policies(d).toArray()));
                    ps.setString(i++, visibility(d));
                    ps.setArray(i++, ps.getConnection().createArrayOf("text", roles(d).toArray()));
                    i = document(ps, i, d);
                    ps.setLong(i++, seq);
                    ps.setTimestamp(i++, java.sql.Timestamp.from(at));
                    ps.setString(i++, e.apiId());
                    ps.setLong(i, seq);
                });
    }

    @EventHandler
    void on(ApiLifecycleChanged e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("UPDATE shareddb.api_search SET lifecycle_status = ?, aggregate_version = ?, updated_time = ? "
                + "WHERE api_id = ? AND aggregate_version < ?", e.newState().name(), seq,
                java.sql.Timestamp.from(at), e.apiId(), seq);
    }

    @EventHandler
    void on(ApiDeleted e) {
        jdbc.update("DELETE FROM shareddb.api_search WHERE api_id = ?", e.apiId());
    }

    private static int document(java.sql.PreparedStatement ps, int start, ApiDefinition d) throws java.sql.SQLException {
        int i = start;
        ps.setString(i++, d.name());
        ps.setString(i++, String.join(" ", tags(d)));
        ps.setString(i++, d.context() == null ? null : d.context().replace('/', ' ').replace("{version}", " "));
        ps.setString(i++, d.description());
        return i;
    }

    private static List<String> tags(ApiDefinition d) {
        return d.tags() == null ? List.of() : d.tags();
    }

    private static List<String> policies(ApiDefinition d) {
        return d.policies() == null ? List.of() : d.policies();
    }

    private static String visibility(ApiDefinition d) {
        return d.visibility() == null ? "PUBLIC" : d.visibility();
    }

    private static List<String> roles(ApiDefinition d) {
        return d.visibleRoles() == null ? List.of()
                : d.visibleRoles().stream().map(r -> r.toLowerCase(Locale.ROOT)).toList();
    }
}
