package dev.apim.command.oauth;

import reactor.core.publisher.Mono;

/**
 * Slows brute force on the OAuth2 endpoints: after too many failures for a key (a user, a client) the key is
 * locked for a while and its credentials are not even checked. Backed by the distributed login throttle.
 */
public interface AttemptGuard {

    /** Where a key stands: locked (seconds until it may try again), or the failures counted so far. */
    record Standing(long lockedForSeconds, long failures) {
        public boolean locked() {
            return lockedForSeconds > 0;
        }
    }

    Mono<Standing> standing(String key);

    Mono<Void> failed(String key);

    /** Clears the key's failures after a success; a no-op when there were none (no round trip). */
    Mono<Void> succeeded(String key, Standing before);

    static String client(String consumerKey) {
        return "client:" + consumerKey;
    }

    static String user(String tenant, String username) {
        return "user:" + tenant + "/" + username;
    }
}
