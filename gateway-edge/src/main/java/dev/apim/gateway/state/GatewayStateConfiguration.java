package dev.apim.gateway.state;

import dev.apim.platform.broadcast.BroadcastStream;
import dev.apim.platform.broadcast.InternalKey;
import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.function.Supplier;

/**
 * A gateway node's state: {@link GatewayState} (the {@code GatewayLookup} of the request path), its
 * {@link GatewayBootstrap} and the {@link BroadcastFollower} that keeps it current (started with the application
 * unless {@code apim.gateway.sync.enabled=false}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.GATEWAY)
public class GatewayStateConfiguration {

    @Bean
    public GatewayState gatewayState() {
        return new GatewayState();
    }

    @Bean
    public GatewayBootstrap gatewayBootstrap(GatewayState state, GatewaySyncProperties sync, InternalKey key,
                                             Environment environment, ApimProperties apim,
                                             @Value("${apim.gateway.environment:Default}") String gatewayEnvironment) {
        boolean remote = sync.internalUrl() != null && !sync.internalUrl().isBlank();
        if (!remote && !apim.roleSet().contains(Roles.TRAFFICMANAGER)) {
            throw new IllegalStateException("apim.gateway.sync.internal-url (APIM_GATEWAY_SYNC_INTERNAL_URL) is "
                    + "required on a gateway node that does not run the trafficmanager role: it names the Traffic "
                    + "Manager whose internal data endpoints the gateway loads its state from");
        }
        if (remote && environment.getProperty("apim.internal.key", "").isBlank()) {
            throw new IllegalStateException("apim.internal.key (APIM_INTERNAL_KEY) is required with "
                    + "apim.gateway.sync.internal-url: the gateway must send the Traffic Manager's internal key");
        }
        if (gatewayEnvironment == null || gatewayEnvironment.isBlank()) {
            throw new IllegalStateException("apim.gateway.environment must name a gateway environment");
        }
        return new GatewayBootstrap(memoized(() -> client(sync, key, environment)), state, gatewayEnvironment);
    }

    @Bean
    public BroadcastFollower broadcastFollower(BroadcastStream stream, GatewayBootstrap bootstrap, GatewayState state,
                                               GatewaySyncProperties sync) {
        return new BroadcastFollower(stream, bootstrap, state, new BroadcastFollower.Settings(sync.batch(),
                sync.pollTimeout(), sync.retryDelay(), sync.enabled()));
    }

    /** The configured Traffic Manager, or this node's own listener once it is up. */
    static InternalDataClient client(GatewaySyncProperties sync, InternalKey key, Environment environment) {
        if (sync.internalUrl() != null && !sync.internalUrl().isBlank()) {
            return new InternalDataClient(sync.internalUrl().strip(), key, sync.trustAll(), sync.requestTimeout());
        }
        String port = environment.getProperty("local.server.port");
        if (port == null) {
            throw new IllegalStateException("apim.gateway.sync.internal-url is not set and this node's management "
                    + "listener is not up yet");
        }
        boolean tls = environment.getProperty("apim.management.tls", Boolean.class, true);
        return new InternalDataClient((tls ? "https" : "http") + "://127.0.0.1:" + port, key, true,
                sync.requestTimeout());
    }

    static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
