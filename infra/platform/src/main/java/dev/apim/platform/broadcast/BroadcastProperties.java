package dev.apim.platform.broadcast;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The broadcast stream ({@code apim.broadcast.*}).
 *
 * @param key       the Redis key of the stream; its companions are {@code <key>:meta} and {@code <key>:published},
 *                  so the key should carry a hash tag (Redis Cluster keeps the three on one node)
 * @param maxLength the stream's approximate cap ({@code XADD MAXLEN ~}); a gateway further behind re-bootstraps
 */
@ConfigurationProperties("apim.broadcast")
public record BroadcastProperties(@DefaultValue("apim:broadcast:{notifications}") String key,
                                  @DefaultValue("100000") int maxLength) {

    public BroadcastProperties {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("apim.broadcast.key must not be empty");
        }
        if (!dev.apim.platform.redis.ClusterSlots.hasHashTag(key)) {
            // the stream and its companions (<key>:meta, <key>:published) are one script's keys: one slot
            throw new IllegalArgumentException("apim.broadcast.key must carry a hash tag, e.g. "
                    + "apim:broadcast:{notifications}, so the stream and its companions share a Redis Cluster slot");
        }
        if (maxLength < 100) {
            throw new IllegalArgumentException("apim.broadcast.max-length must be at least 100");
        }
    }
}
