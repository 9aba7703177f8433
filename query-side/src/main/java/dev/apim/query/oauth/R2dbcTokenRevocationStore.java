package dev.apim.query.oauth;

import dev.apim.platform.oauth.TokenRevocationStore;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.time.Instant;

/**
 * Answers whether a token is dead from {@code apimgtdb}: its client unknown or inactive (revoked, removed,
 * deleted, or an application client whose application is gone), its {@code iat} before the client's
 * issued-before cut-off, or its {@code jti} in {@code revoked_token}. One query per check, without blocking.
 * A token without {@code iat} is dead once its client has any cut-off (it cannot be shown to be later).
 */
public class R2dbcTokenRevocationStore implements TokenRevocationStore {

    private final DatabaseClient db;

    public R2dbcTokenRevocationStore(DatabaseClient db) {
        this.db = db;
    }

    private record State(boolean usable, Instant cutoff, boolean jtiRevoked) {}

    @Override
    public Mono<Boolean> isRevoked(String consumerKey, String jti, Instant issuedAt) {
        if (consumerKey == null || consumerKey.isBlank()) {
            return Mono.just(true);
        }
        var spec = db.sql("""
                        SELECT c.active AND (c.kind <> 'APPLICATION' OR a.application_id IS NOT NULL) AS usable,
                            c.tokens_revoked_before,
                            EXISTS (SELECT 1 FROM apimgtdb.revoked_token r WHERE r.jti = :jti) AS jti_revoked
                        FROM apimgtdb.oauth_client c
                        LEFT JOIN apimgtdb.application a
                            ON c.kind = 'APPLICATION' AND a.application_id = c.application_id AND a.tenant = c.tenant
                        WHERE c.consumer_key = :consumerKey""")
                .bind("consumerKey", consumerKey);
        spec = jti == null ? spec.bindNull("jti", String.class) : spec.bind("jti", jti);
        return spec.map((row, meta) -> new State(Boolean.TRUE.equals(row.get("usable", Boolean.class)),
                        row.get("tokens_revoked_before", Instant.class),
                        Boolean.TRUE.equals(row.get("jti_revoked", Boolean.class))))
                .one()
                .map(s -> !s.usable() || s.jtiRevoked()
                        || (s.cutoff() != null && (issuedAt == null || issuedAt.isBefore(s.cutoff()))))
                .defaultIfEmpty(true);
    }
}
