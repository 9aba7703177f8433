package dev.apim.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The brute-force guard of password and client-secret logins ({@code apim.security.login-throttle.*}).
 *
 * @param enabled     whether failures are counted and keys locked at all
 * @param maxFailures failures within {@code window} that lock a key
 * @param window      how long failures are counted, from the first one
 * @param lockout     how long a locked key stays locked
 * @param timeout     the longest a login waits for Redis before going on without the guard (fail open)
 */
@ConfigurationProperties("apim.security.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5") int maxFailures,
        @DefaultValue("15m") Duration window,
        @DefaultValue("15m") Duration lockout,
        @DefaultValue("500ms") Duration timeout) {

    public LoginThrottleProperties {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("apim.security.login-throttle.max-failures must be at least 1");
        }
        requirePositive("window", window);
        requirePositive("lockout", lockout);
        requirePositive("timeout", timeout);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || value.toMillis() < 1) {
            throw new IllegalArgumentException("apim.security.login-throttle." + name
                    + " must be a positive duration of at least 1ms");
        }
    }
}
