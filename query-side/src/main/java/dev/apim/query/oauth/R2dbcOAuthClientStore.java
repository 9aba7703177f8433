package dev.apim.query.oauth;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.oauth.OAuthClientStore;
import io.r2dbc.spi.Row;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads OAuth2 clients from {@code apimgtdb.oauth_client} without blocking. For an APPLICATION client the
 * {@code application} claim is read from the applications read model at query time, so a renamed application or a
 * changed tier shows in the next token. Our applications have only a UUID (no numeric id as in WSO2's
 * AM_APPLICATION), so the claim's {@code id} and {@code uuid} are both that UUID. An APPLICATION client whose
 * application is not (or no longer) in the read model is treated as absent: no token is issued for it.
 */
public class R2dbcOAuthClientStore implements OAuthClientStore {

    static final String CLIENT_SQL = """
            SELECT c.consumer_key, c.secret_hash, c.aggregate_id, c.kind, c.tenant, c.owner, c.client_name,
                c.key_type, c.grant_types, c.callback_url, c.application_access_token_seconds,
                c.user_access_token_seconds, c.refresh_token_seconds, c.id_token_seconds, c.active,
                c.tokens_revoked_before, a.application_id AS app_id, a.name AS app_name,
                a.throttling_policy AS app_tier, a.owner AS app_owner
            FROM apimgtdb.oauth_client c
            LEFT JOIN apimgtdb.application a
                ON c.kind = 'APPLICATION' AND a.application_id = c.application_id AND a.tenant = c.tenant
            WHERE c.consumer_key = :consumerKey""";

    private final DatabaseClient db;

    public R2dbcOAuthClientStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<OAuthClient> findByConsumerKey(String consumerKey) {
        if (consumerKey == null || consumerKey.isBlank()) {
            return Mono.empty();
        }
        return db.sql(CLIENT_SQL)
                .bind("consumerKey", consumerKey)
                .map((row, meta) -> Kind.APPLICATION.name().equals(row.get("kind", String.class))
                        && row.get("app_id", String.class) == null
                        ? Optional.<OAuthClient>empty() : Optional.of(client(row)))
                .one()
                .flatMap(Mono::justOrEmpty);
    }

    private static OAuthClient client(Row row) {
        Kind kind = Kind.valueOf(row.get("kind", String.class));
        ApplicationClaim application = null;
        String clientName = row.get("client_name", String.class);
        if (kind == Kind.APPLICATION) {
            String appId = row.get("app_id", String.class);
            application = new ApplicationClaim(appId, appId, row.get("app_name", String.class),
                    row.get("app_tier", String.class), row.get("app_owner", String.class));
            clientName = application.name();
        }
        String[] grants = row.get("grant_types", String[].class);
        return new OAuthClient(row.get("consumer_key", String.class), row.get("secret_hash", String.class),
                row.get("aggregate_id", String.class), kind, row.get("tenant", String.class),
                row.get("owner", String.class), clientName, KeyType.valueOf(row.get("key_type", String.class)),
                grants == null ? List.of() : List.of(grants), row.get("callback_url", String.class),
                new TokenLifetimes(row.get("application_access_token_seconds", Long.class),
                        row.get("user_access_token_seconds", Long.class), row.get("refresh_token_seconds", Long.class),
                        row.get("id_token_seconds", Long.class)),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                row.get("tokens_revoked_before", Instant.class), application);
    }
}
