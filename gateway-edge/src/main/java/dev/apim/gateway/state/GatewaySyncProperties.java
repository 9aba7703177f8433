package dev.apim.gateway.state;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How a gateway loads and follows its state ({@code apim.gateway.sync.*}); the environment it serves is
 * {@code apim.gateway.environment} (default {@code Default}).
 *
 * @param enabled        follow the broadcast stream from start-up
 * @param internalUrl    a Traffic Manager's management listener ({@code https://tm.example:9443}); empty: this
 *                       node's own listener on loopback (all-in-one), whose self-signed certificate is then trusted
 * @param trustAll       trust any certificate of {@code internalUrl} (tests, private networks only)
 * @param requestTimeout the longest one internal data request may take
 * @param batch          notifications read per round trip to Redis
 * @param pollTimeout    how long one read of the stream waits for new notifications
 * @param retryDelay     the pause after a failure before trying again
 */
@ConfigurationProperties("apim.gateway.sync")
public record GatewaySyncProperties(@DefaultValue("true") boolean enabled,
                                    String internalUrl,
                                    @DefaultValue("false") boolean trustAll,
                                    @DefaultValue("10s") Duration requestTimeout,
                                    @DefaultValue("500") int batch,
                                    @DefaultValue("1s") Duration pollTimeout,
                                    @DefaultValue("1s") Duration retryDelay) {

    public GatewaySyncProperties {
        if (batch < 1 || batch > 10_000) {
            throw new IllegalArgumentException("apim.gateway.sync.batch must be between 1 and 10000");
        }
        if (pollTimeout.isZero() || pollTimeout.isNegative()) {
            throw new IllegalArgumentException("apim.gateway.sync.poll-timeout must be positive");
        }
    }
}
