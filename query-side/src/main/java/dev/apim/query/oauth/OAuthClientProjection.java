package dev.apim.query.oauth;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.domain.keys.event.AccessTokenRevoked;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.ApplicationKeysUpdated;
import dev.apim.domain.keys.event.ConsumerSecretRegenerated;
import dev.apim.domain.keys.event.OAuthClientDeleted;
import dev.apim.domain.keys.event.OAuthClientRegistered;
import dev.apim.domain.keys.event.OAuthClientSecretRotated;
import dev.apim.domain.keys.event.OAuthClientUpdated;
import dev.apim.domain.keys.event.TokensRevokedIssuedBefore;
import dev.apim.platform.oauth.OAuthClientStore;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

/**
 * Projects every OAuth2 client the Key Manager authenticates into {@code apimgtdb.oauth_client}, one row per
 * consumer key: application key mappings (the {@code ApplicationKeys} events; revoked or removed keys stay as
 * inactive rows so their tokens are known dead) and DCR management clients (the {@code OAuthClient} events; a
 * client registered again after deletion gets a new row for its new consumer key, the old one stays inactive).
 * Also the revocations: the issued-before cut-off ({@code token_revocation_cutoff}, copied into the client row)
 * and single revoked tokens ({@code revoked_token}).
 *
 * <p>Insert once, changes guarded by the owning aggregate's version, the cut-off only moved forward and revoked
 * tokens inserted once: replaying or redelivering any event changes nothing.
 */
@ProcessingGroup(OAuthClientProjection.PROCESSOR)
public class OAuthClientProjection {

    public static final String PROCESSOR = "apimgtdb";

    private final JdbcTemplate jdbc;

    public OAuthClientProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---- application key mappings ----

    @EventHandler
    void on(ApplicationKeysGenerated e, @SequenceNumber long seq, @Timestamp Instant at) {
        insert(new NewClient(e.consumerKey(), e.consumerSecretHash(), e.keysId(), OAuthClientStore.Kind.APPLICATION,
                e.tenant(), e.applicationOwner(), null, e.keyType(), e.grantTypes(), e.callbackUrl(), e.lifetimes(),
                e.applicationId()), seq, at);
    }

    @EventHandler
    void on(ConsumerSecretRegenerated e, @SequenceNumber long seq, @Timestamp Instant at) {
        secret(e.consumerKey(), e.keysId(), e.consumerSecretHash(), seq, at);
    }

    @EventHandler
    void on(ApplicationKeysUpdated e, @SequenceNumber long seq, @Timestamp Instant at) {
        TokenLifetimes l = e.lifetimes();
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    UPDATE apimgtdb.oauth_client SET grant_types = ?, callback_url = ?,
                        application_access_token_seconds = ?, user_access_token_seconds = ?,
                        refresh_token_seconds = ?, id_token_seconds = ?, aggregate_version = ?, updated_time = ?
                    WHERE consumer_key = ? AND aggregate_id = ? AND aggregate_version < ?""");
            ps.setArray(1, con.createArrayOf("text", e.grantTypes().toArray()));
            ps.setString(2, e.callbackUrl());
            ps.setLong(3, l.applicationAccessTokenSeconds());
            ps.setLong(4, l.userAccessTokenSeconds());
            ps.setLong(5, l.refreshTokenSeconds());
            ps.setLong(6, l.idTokenSeconds());
            ps.setLong(7, seq);
            ps.setTimestamp(8, java.sql.Timestamp.from(at));
            ps.setString(9, e.consumerKey());
            ps.setString(10, e.keysId());
            ps.setLong(11, seq);
            return ps;
        });
    }

    @EventHandler
    void on(ApplicationKeysRevoked e, @SequenceNumber long seq, @Timestamp Instant at) {
        deactivate(e.consumerKey(), e.keysId(), seq, at);
    }

    @EventHandler
    void on(ApplicationKeysRemoved e, @SequenceNumber long seq, @Timestamp Instant at) {
        deactivate(e.consumerKey(), e.keysId(), seq, at);
    }

    // ---- DCR management clients ----

    @EventHandler
    void on(OAuthClientRegistered e, @SequenceNumber long seq, @Timestamp Instant at) {
        insert(new NewClient(e.consumerKey(), e.consumerSecretHash(), e.clientId(), OAuthClientStore.Kind.MANAGEMENT,
                e.tenant(), e.owner(), e.clientName(), KeyType.PRODUCTION, e.grantTypes(), e.callbackUrl(),
                e.lifetimes(), null), seq, at);
    }

    @EventHandler
    void on(OAuthClientSecretRotated e, @SequenceNumber long seq, @Timestamp Instant at) {
        secret(e.consumerKey(), e.clientId(), e.consumerSecretHash(), seq, at);
    }

    @EventHandler
    void on(OAuthClientUpdated e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    UPDATE apimgtdb.oauth_client SET grant_types = ?, callback_url = ?, aggregate_version = ?,
                        updated_time = ?
                    WHERE consumer_key = ? AND aggregate_id = ? AND aggregate_version < ?""");
            ps.setArray(1, con.createArrayOf("text", e.grantTypes().toArray()));
            ps.setString(2, e.callbackUrl());
            ps.setLong(3, seq);
            ps.setTimestamp(4, java.sql.Timestamp.from(at));
            ps.setString(5, e.consumerKey());
            ps.setString(6, e.clientId());
            ps.setLong(7, seq);
            return ps;
        });
    }

    @EventHandler
    void on(OAuthClientDeleted e, @SequenceNumber long seq, @Timestamp Instant at) {
        deactivate(e.consumerKey(), e.clientId(), seq, at);
    }

    // ---- revocations ----

    /** Moves the cut-off of a consumer key whose client rows belong to another aggregate, and is read by its inserts. */
    @EventHandler
    @dev.apim.query.deadletter.WritesAcrossAggregates
    void on(TokensRevokedIssuedBefore e, @Timestamp Instant at) {
        java.sql.Timestamp cutoff = java.sql.Timestamp.from(e.issuedBefore());
        jdbc.update("""
                INSERT INTO apimgtdb.token_revocation_cutoff (consumer_key, tenant, issued_before, updated_time)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (consumer_key) DO UPDATE SET issued_before = EXCLUDED.issued_before,
                    updated_time = EXCLUDED.updated_time
                WHERE token_revocation_cutoff.issued_before < EXCLUDED.issued_before""",
                e.consumerKey(), e.tenant(), cutoff, java.sql.Timestamp.from(at));
        jdbc.update("UPDATE apimgtdb.oauth_client SET tokens_revoked_before = ? WHERE consumer_key = ? "
                + "AND (tokens_revoked_before IS NULL OR tokens_revoked_before < ?)", cutoff, e.consumerKey(), cutoff);
    }

    @EventHandler
    void on(AccessTokenRevoked e, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO apimgtdb.revoked_token (jti, consumer_key, tenant, expires_at, revoked_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (jti) DO NOTHING""",
                e.jti(), e.consumerKey(), e.tenant(), java.sql.Timestamp.from(e.expiresAt()),
                java.sql.Timestamp.from(at));
    }

    // ---- shared writes ----

    private record NewClient(String consumerKey, String secretHash, String aggregateId, OAuthClientStore.Kind kind,
                             String tenant, String owner, String clientName, KeyType keyType, List<String> grants,
                             String callbackUrl, TokenLifetimes lifetimes, String applicationId) {}

    private void insert(NewClient c, long seq, Instant at) {
        TokenLifetimes l = TokenLifetimes.resolve(c.lifetimes());
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO apimgtdb.oauth_client (consumer_key, secret_hash, aggregate_id, kind, tenant, owner,
                        client_name, key_type, grant_types, callback_url, application_access_token_seconds,
                        user_access_token_seconds, refresh_token_seconds, id_token_seconds, active,
                        tokens_revoked_before, application_id, aggregate_version, created_time, updated_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE,
                        (SELECT issued_before FROM apimgtdb.token_revocation_cutoff WHERE consumer_key = ?),
                        ?, ?, ?, ?)
                    ON CONFLICT (consumer_key) DO NOTHING""");
            ps.setString(1, c.consumerKey());
            ps.setString(2, c.secretHash());
            ps.setString(3, c.aggregateId());
            ps.setString(4, c.kind().name());
            ps.setString(5, c.tenant());
            ps.setString(6, c.owner());
            ps.setString(7, c.clientName());
            ps.setString(8, c.keyType().name());
            ps.setArray(9, con.createArrayOf("text", c.grants().toArray()));
            ps.setString(10, c.callbackUrl());
            ps.setLong(11, l.applicationAccessTokenSeconds());
            ps.setLong(12, l.userAccessTokenSeconds());
            ps.setLong(13, l.refreshTokenSeconds());
            ps.setLong(14, l.idTokenSeconds());
            ps.setString(15, c.consumerKey());
            ps.setString(16, c.applicationId());
            ps.setLong(17, seq);
            ps.setTimestamp(18, java.sql.Timestamp.from(at));
            ps.setTimestamp(19, java.sql.Timestamp.from(at));
            return ps;
        });
    }

    private void secret(String consumerKey, String aggregateId, String hash, long seq, Instant at) {
        jdbc.update("UPDATE apimgtdb.oauth_client SET secret_hash = ?, aggregate_version = ?, updated_time = ? "
                        + "WHERE consumer_key = ? AND aggregate_id = ? AND aggregate_version < ?",
                hash, seq, java.sql.Timestamp.from(at), consumerKey, aggregateId, seq);
    }

    private void deactivate(String consumerKey, String aggregateId, long seq, Instant at) {
        jdbc.update("UPDATE apimgtdb.oauth_client SET active = FALSE, aggregate_version = ?, updated_time = ? "
                        + "WHERE consumer_key = ? AND aggregate_id = ? AND aggregate_version < ?",
                seq, java.sql.Timestamp.from(at), consumerKey, aggregateId, seq);
    }
}
