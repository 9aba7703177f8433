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
 * @param shard  which counters are kept together in one Redis Cluster slot (the hash tag of its key): the planner
 *               uses {@code <tenant>/api/<apiId>} for the counters of an API (subscription, burst, API, resource)
 *               and {@code <tenant>/app/<appId>} for the application counter; counters of one request with one
 *               shard are decided in one atomic script
 */
public record ThrottleCounter(String key, long limit, Duration window, long cost, Level level, String shard) {

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

    /** A counter whose shard is the tenant field of {@code kind:<tenant>:...} keys (else the whole key). */
    public ThrottleCounter(String key, long limit, Duration window, long cost, Level level) {
        this(key, limit, window, cost, level, defaultShard(key));
    }

    static String defaultShard(String key) {
        if (key == null) {
            return null;
        }
        String[] parts = key.split(":", 3);
        return parts.length >= 2 ? parts[1] : key;
    }

    public ThrottleCounter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(shard, "shard");
        if (shard.isEmpty() || shard.indexOf('{') >= 0 || shard.indexOf('}') >= 0) {
            throw new IllegalArgumentException("a counter's shard must be non-empty and free of braces");
        }
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(level, "level");
        if (limit < 0 || cost < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit and cost must not be negative and the window positive");
        }
    }
}
