package dev.apim.command.oauth;

import dev.apim.domain.keys.KeyType;
import dev.apim.platform.security.Digests;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rotating refresh tokens in {@code keymanager.refresh_token}. A token is 256 random bits; only its SHA-256 is
 * stored. {@link #rotate} consumes a token atomically (one {@code UPDATE ... WHERE state = 'ACTIVE'}), so two
 * concurrent uses of one token yield one success; using a consumed token again revokes its family (RFC 9700
 * §4.14.2: refresh token reuse means it leaked). Blocking JDBC: call off the event loop.
 */
public class RefreshTokenStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored refresh token. */
    public record RefreshToken(String tokenHash, UUID familyId, String consumerKey, String tenant, String username,
                               List<String> scopes, KeyType keyType, String state, Instant issuedAt,
                               Instant expiresAt, String accessJti, Instant accessExpiresAt) {}

    /** An access token that must be revoked because its refresh family was. */
    public record IssuedAccess(String consumerKey, String tenant, String jti, Instant expiresAt) {}

    /** The outcome of presenting a refresh token. */
    public sealed interface Rotation {
        record Rotated(RefreshToken previous) implements Rotation {}
        /** Unknown, expired, revoked, or issued to another client. */
        record Invalid() implements Rotation {}
        /** Presented again after rotation: the family is now revoked, with these access tokens. */
        record Reused(List<IssuedAccess> revoked) implements Rotation {}
    }

    private static final RowMapper<RefreshToken> ROW = (rs, i) -> new RefreshToken(
            rs.getString("token_hash"), rs.getObject("family_id", UUID.class), rs.getString("consumer_key"),
            rs.getString("tenant"), rs.getString("username"), strings(rs.getArray("scopes")),
            KeyType.valueOf(rs.getString("key_type")), rs.getString("state"),
            rs.getTimestamp("issued_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
            rs.getString("access_jti"), rs.getTimestamp("access_expires_at").toInstant());

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public RefreshTokenStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** Stores a new refresh token and answers it in clear (the only time it exists in clear). */
    public String issue(UUID familyId, String consumerKey, String tenant, String username, List<String> scopes,
                        KeyType keyType, Duration lifetime, String accessJti, Instant accessExpiresAt) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO keymanager.refresh_token (token_hash, family_id, consumer_key, tenant, username, scopes,
                        key_type, state, issued_at, expires_at, access_jti, access_expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?)""");
            ps.setString(1, hash(token));
            ps.setObject(2, familyId);
            ps.setString(3, consumerKey);
            ps.setString(4, tenant);
            ps.setString(5, username);
            ps.setArray(6, con.createArrayOf("text", scopes.toArray()));
            ps.setString(7, keyType.name());
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(now.plus(lifetime)));
            ps.setString(10, accessJti);
            ps.setTimestamp(11, Timestamp.from(accessExpiresAt));
            return ps;
        });
        return token;
    }

    /** Consumes a token presented by {@code consumerKey}. */
    public Rotation rotate(String token, String consumerKey) {
        if (!plausible(token)) {
            return new Rotation.Invalid();
        }
        String hash = hash(token);
        Instant now = clock.instant();
        return tx.execute(status -> {
            List<RefreshToken> consumed = jdbc.query("""
                    UPDATE keymanager.refresh_token SET state = 'ROTATED', changed_at = ?
                    WHERE token_hash = ? AND consumer_key = ? AND state = 'ACTIVE' AND expires_at > ?
                    RETURNING *""", ROW, Timestamp.from(now), hash, consumerKey, Timestamp.from(now));
            if (!consumed.isEmpty()) {
                return new Rotation.Rotated(consumed.get(0));
            }
            List<RefreshToken> existing = jdbc.query(
                    "SELECT * FROM keymanager.refresh_token WHERE token_hash = ? AND consumer_key = ?", ROW, hash,
                    consumerKey);
            if (!existing.isEmpty() && "ROTATED".equals(existing.get(0).state())) {
                return new Rotation.Reused(revokeFamily(existing.get(0).familyId(), now));
            }
            return new Rotation.Invalid();
        });
    }

    /** Revokes the family of a token presented by its own client; empty when the token is not theirs. */
    public Optional<List<IssuedAccess>> revoke(String token, String consumerKey) {
        if (!plausible(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tx.execute(status -> {
            List<RefreshToken> existing = jdbc.query(
                    "SELECT * FROM keymanager.refresh_token WHERE token_hash = ? AND consumer_key = ?", ROW,
                    hash(token), consumerKey);
            if (existing.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(revokeFamily(existing.get(0).familyId(), now));
        });
    }

    /** The token if it exists and can still be used. */
    public Optional<RefreshToken> findActive(String token) {
        if (!plausible(token)) {
            return Optional.empty();
        }
        return jdbc.query("""
                SELECT * FROM keymanager.refresh_token
                WHERE token_hash = ? AND state = 'ACTIVE' AND expires_at > ?""", ROW, hash(token),
                Timestamp.from(clock.instant())).stream().findFirst();
    }

    /** Deletes rows that expired more than {@code grace} ago; answers how many. */
    public int purgeExpired(Duration grace) {
        return jdbc.update("DELETE FROM keymanager.refresh_token WHERE expires_at < ?",
                Timestamp.from(clock.instant().minus(grace)));
    }

    private List<IssuedAccess> revokeFamily(UUID familyId, Instant now) {
        return jdbc.query("""
                UPDATE keymanager.refresh_token SET state = 'REVOKED', changed_at = ?
                WHERE family_id = ? AND state <> 'REVOKED'
                RETURNING consumer_key, tenant, access_jti, access_expires_at""",
                (rs, i) -> new IssuedAccess(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()),
                Timestamp.from(now), familyId).stream()
                .filter(a -> a.expiresAt().isAfter(now))
                .toList();
    }

    private static boolean plausible(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(c ->
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    static String hash(String token) {
        return Digests.sha256Hex(token);
    }

    private static List<String> strings(Array array) throws java.sql.SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
