package dev.apim.gateway.throttle;

import java.time.Duration;
import java.util.Objects;

/**
 * One counter a request must fit in.
 *
 * @param key    a stable identity, e.g. {@code sub:<tenant>:<appId>:<apiId>}, {@code app:<tenant>:<appId>:<user>},
 *               {@code api:<tenant>:<apiId>}, {@code res:<tenant>:<apiId>:<verb>:<template>}; the throttler adds
 *               its own prefix and any window suffix
 * @param limit  requests (or bytes) admitted per window
 * @param window the unit time
 * @param cost   what this request adds (1 for request counts)
 * @param level  which WSO2 error a rejection by this counter answers
 */
public record ThrottleCounter(String key, long limit, Duration window, long cost, Level level) {

    /** The WSO2 throttle levels, each with its error code (APIThrottleConstants). */
    public enum Level {
        API(900800), RESOURCE(900802), APPLICATION(900803), SUBSCRIPTION(900804), BURST(900807);

        private final int code;

        Level(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    public ThrottleCounter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(level, "level");
        if (limit < 0 || cost < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit and cost must not be negative and the window positive");
        }
    }
}
