package dev.apim.query.users;

import dev.apim.platform.security.CredentialStore;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.util.Set;

/** Reads users for authentication from {@code shareddb} without blocking. */
public class SharedDbCredentialStore implements CredentialStore {

    private final DatabaseClient db;

    public SharedDbCredentialStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<StoredUser> find(String tenant, String username) {
        return db.sql("SELECT username, tenant, password_hash, roles, locked, credentials_changed_time FROM shareddb.um_user "
                        + "WHERE tenant = :tenant AND username = :username")
                .bind("tenant", tenant)
                .bind("username", username)
                .map((row, meta) -> new StoredUser(row.get("username", String.class), row.get("tenant", String.class),
                        row.get("password_hash", String.class), Set.of(row.get("roles", String[].class)),
                        Boolean.TRUE.equals(row.get("locked", Boolean.class)),
                        row.get("credentials_changed_time", java.time.OffsetDateTime.class) == null ? null
                                : row.get("credentials_changed_time", java.time.OffsetDateTime.class).toInstant()))
                .one();
    }
}
