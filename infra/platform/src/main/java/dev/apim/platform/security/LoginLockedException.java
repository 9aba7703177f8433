package dev.apim.platform.security;

import java.time.Duration;

/** A login key is locked after too many failures; it may be tried again after {@link #retryAfter()}. */
public class LoginLockedException extends RuntimeException {

    private final String key;
    private final Duration retryAfter;

    public LoginLockedException(String key, Duration retryAfter) {
        super("Too many failed logins for " + key + "; locked for another " + retryAfter.toSeconds() + "s");
        this.key = key;
        this.retryAfter = retryAfter;
    }

    public String key() {
        return key;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
