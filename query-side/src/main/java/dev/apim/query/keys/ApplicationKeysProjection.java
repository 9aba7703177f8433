package dev.apim.query.keys;

import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.query.deadletter.WritesAcrossAggregates;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.ApplicationKeysUpdated;
import dev.apim.domain.keys.event.ConsumerSecretRegenerated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

/**
 * Projects key mapping events into {@code apimgtdb.application_keys}: insert once, changes guarded by the aggregate
 * version, delete by id — replaying or redelivering an event changes nothing. The consumer secret hash is never
 * projected.
 */
@ProcessingGroup(ApplicationKeysProjection.PROCESSOR)
public class ApplicationKeysProjection {

    public static final String PROCESSOR = "apimgtdb";

    private final JdbcTemplate jdbc;

    public ApplicationKeysProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ApplicationKeysGenerated e, @SequenceNumber long seq, @Timestamp Instant at) {
        TokenLifetimes l = e.lifetimes();
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO apimgtdb.application_keys (keys_id, key_mapping_id, tenant, application_id,
                        application_owner, key_type, consumer_key, grant_types, callback_url,
                        application_access_token_seconds, user_access_token_seconds, refresh_token_seconds,
                        id_token_seconds, state, aggregate_version, created_time, updated_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)
                    ON CONFLICT (keys_id) DO NOTHING""");
            ps.setString(1, e.keysId());
            ps.setString(2, e.keyMappingId());
            ps.setString(3, e.tenant());
            ps.setString(4, e.applicationId());
            ps.setString(5, e.applicationOwner());
            ps.setString(6, e.keyType().name());
            ps.setString(7, e.consumerKey());
            ps.setArray(8, con.createArrayOf("text", e.grantTypes().toArray()));
            ps.setString(9, e.callbackUrl());
            ps.setLong(10, l.applicationAccessTokenSeconds());
            ps.setLong(11, l.userAccessTokenSeconds());
            ps.setLong(12, l.refreshTokenSeconds());
            ps.setLong(13, l.idTokenSeconds());
            ps.setLong(14, seq);
            ps.setTimestamp(15, java.sql.Timestamp.from(at));
            ps.setTimestamp(16, java.sql.Timestamp.from(at));
            return ps;
        });
    }

    @EventHandler
    void on(ApplicationKeysUpdated e, @SequenceNumber long seq, @Timestamp Instant at) {
        TokenLifetimes l = e.lifetimes();
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    UPDATE apimgtdb.application_keys SET grant_types = ?, callback_url = ?,
                        application_access_token_seconds = ?, user_access_token_seconds = ?,
                        refresh_token_seconds = ?, id_token_seconds = ?, aggregate_version = ?, updated_time = ?
                    WHERE keys_id = ? AND aggregate_version < ?""");
            ps.setArray(1, con.createArrayOf("text", e.grantTypes().toArray()));
            ps.setString(2, e.callbackUrl());
            ps.setLong(3, l.applicationAccessTokenSeconds());
            ps.setLong(4, l.userAccessTokenSeconds());
            ps.setLong(5, l.refreshTokenSeconds());
            ps.setLong(6, l.idTokenSeconds());
            ps.setLong(7, seq);
            ps.setTimestamp(8, java.sql.Timestamp.from(at));
            ps.setString(9, e.keysId());
            ps.setLong(10, seq);
            return ps;
        });
    }

    @EventHandler
    void on(ConsumerSecretRegenerated e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("UPDATE apimgtdb.application_keys SET aggregate_version = ?, updated_time = ? "
                + "WHERE keys_id = ? AND aggregate_version < ?", seq, java.sql.Timestamp.from(at), e.keysId(), seq);
    }

    @EventHandler
    void on(ApplicationKeysRevoked e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("UPDATE apimgtdb.application_keys SET state = 'REVOKED', aggregate_version = ?, updated_time = ? "
                + "WHERE keys_id = ? AND aggregate_version < ?", seq, java.sql.Timestamp.from(at), e.keysId(), seq);
    }

    /** Frees the mapping's consumer key and key mapping id (both unique) for another application: a barrier. */
    @WritesAcrossAggregates
    @EventHandler
    void on(ApplicationKeysRemoved e) {
        jdbc.update("DELETE FROM apimgtdb.application_keys WHERE keys_id = ?", e.keysId());
    }
}
