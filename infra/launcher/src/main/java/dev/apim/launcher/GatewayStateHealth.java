package dev.apim.launcher;

import dev.apim.gateway.state.BroadcastFollower;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A gateway's state in health ({@code gatewayState}: UP while following the broadcast stream, OUT_OF_SERVICE
 * before the first bootstrap, DEGRADED after it while the Traffic Manager or Redis cannot be read; details index, lag, bootstraps,
 * gaps, last error) and metrics ({@code apim.gateway.state.index}, {@code .lag}, {@code .bootstraps},
 * {@code .gaps}, {@code .notifications}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.GATEWAY)
public class GatewayStateHealth {

    @Bean("gatewayStateHealthIndicator")
    public AbstractHealthIndicator gatewayStateHealthIndicator(BroadcastFollower follower) {
        return new AbstractHealthIndicator("Gateway state health check failed") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                // Once bootstrapped, a gateway that cannot read the stream (Redis or the Traffic Manager away) still
                // serves its last known state: DEGRADED (HTTP 200), not out of service.
                Long lag;
                try {
                    lag = follower.lag();
                } catch (RuntimeException e) {
                    lag = null;
                }
                if (follower.bootstraps() == 0) {
                    builder.outOfService();
                } else if (!follower.isFollowing() || lag == null) {
                    builder.status("DEGRADED");
                } else {
                    builder.up();
                }
                builder.withDetail("index", follower.index())
                        .withDetail("lag", lag == null ? "unknown (stream unreachable)" : lag)
                        .withDetail("bootstraps", follower.bootstraps())
                        .withDetail("gapsDetected", follower.gapsDetected());
                if (follower.lastError() != null) {
                    builder.withDetail("lastError", follower.lastError())
                            .withDetail("lastErrorAt", follower.lastErrorAt().toString());
                }
            }
        };
    }

    @Bean
    public MeterBinder gatewayStateMetrics(BroadcastFollower follower) {
        return (MeterRegistry registry) -> {
            Gauge.builder("apim.gateway.state.index", follower, BroadcastFollower::index)
                    .description("Event index the gateway's state reflects").register(registry);
            Gauge.builder("apim.gateway.state.lag", follower, f -> {
                try {
                    return f.lag();
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }).description("Event indexes between the newest notification and the gateway's state").register(registry);
            FunctionCounter.builder("apim.gateway.state.bootstraps", follower, BroadcastFollower::bootstraps)
                    .register(registry);
            FunctionCounter.builder("apim.gateway.state.gaps", follower, BroadcastFollower::gapsDetected)
                    .register(registry);
            FunctionCounter.builder("apim.gateway.state.notifications", follower,
                    BroadcastFollower::notificationsApplied).register(registry);
        };
    }
}
