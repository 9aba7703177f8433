package dev.apim.platform.security;

import reactor.core.publisher.Mono;

import java.util.Set;

/** Port to the stored users (shareddb). Implemented by the query side's user read model. */
public interface CredentialStore {

    /** The user, or empty when there is none. */
    Mono<StoredUser> find(String tenant, String username);

    /** A user as stored: the password only as a slow hash. */
    record StoredUser(String username, String tenant, String passwordHash, Set<String> roles, boolean locked) {}
}
