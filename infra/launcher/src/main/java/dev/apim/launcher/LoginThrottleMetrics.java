package dev.apim.launcher;

import dev.apim.platform.security.LoginThrottle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Publishes how often the login throttle could not reach Redis ({@code apim.login.throttle.unavailable}); each
 * of those logins went on without the brute-force guard (fail open), so this should stay flat.
 */
@Component
public class LoginThrottleMetrics implements MeterBinder {

    private final LoginThrottle throttle;

    public LoginThrottleMetrics(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("apim.login.throttle.unavailable", throttle, LoginThrottle::unavailableCount)
                .description("Login throttle operations that failed because Redis did not answer in time")
                .register(registry);
    }
}
