package dev.apim.command.oauth;

import reactor.core.publisher.Mono;

/**
 * Slows brute force on the OAuth2 endpoints: after too many failures for a key (a user, a client) the key is
 * locked for a while and its credentials are not even checked. Backed by the distributed login throttle.
 */
public interface AttemptGuard {

    /** Seconds until the key may try again; 0 when it is not locked. */
    Mono<Long> lockedForSeconds(String key);

    Mono<Void> failed(String key);

    Mono<Void> succeeded(String key);

    static String client(String consumerKey) {
        return "client:" + consumerKey;
    }

    static String user(String tenant, String username) {
        return "user:" + tenant + "/" + username;
    }
}
