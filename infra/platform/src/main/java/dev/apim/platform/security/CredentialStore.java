package dev.apim.platform.security;

import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/** Port to the stored users (shareddb). Implemented by the query side's user read model. */
public interface CredentialStore {

    /** The user, or empty when there is none. */
    Mono<StoredUser> find(String tenant, String username);

    /**
     * A user as stored: the password only as a slow hash. {@code credentialsChangedAt} is when the password last
     * changed (null when never): bearer tokens issued before it are refused.
     */
    record StoredUser(String username, String tenant, String passwordHash, Set<String> roles, boolean locked,
                      Instant credentialsChangedAt) {

        public StoredUser(String username, String tenant, String passwordHash, Set<String> roles, boolean locked) {
            this(username, tenant, passwordHash, roles, locked, null);
        }

        /** Whether a token issued at {@code issuedAt} (whole seconds, as in JWTs) predates the last password change. */
        public boolean tokenPredatesPasswordChange(Instant issuedAt) {
            return credentialsChangedAt != null
                    && issuedAt.isBefore(credentialsChangedAt.truncatedTo(ChronoUnit.SECONDS));
        }
    }
}
