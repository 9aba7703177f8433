package dev.apim.gateway;

import dev.apim.gateway.analytics.BoundedAnalyticsSink;
import dev.apim.gateway.analytics.GatewayMetrics;
import dev.apim.gateway.auth.JwksKeyResolver;
import dev.apim.gateway.auth.TokenAuthenticator;
import dev.apim.gateway.block.BlockConditions;
import dev.apim.gateway.model.GatewayLookup;
import dev.apim.gateway.proxy.BackendProxy;
import dev.apim.gateway.route.Routes;
import dev.apim.gateway.server.GatewayHandler;
import dev.apim.gateway.server.GatewayServer;
import dev.apim.gateway.throttle.ThrottlePlanner;
import dev.apim.gateway.throttle.Throttler;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.tls.KeyStoreFile;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;

import java.time.Clock;

/**
 * The gateway's request path assembled from its parts, so that Spring ({@link GatewayConfiguration}) and tests wire
 * it the same way. {@link #server()} is the lifecycle: starting it loads the JWKS and opens the listeners; stopping
 * it closes them and the JWKS refresh; {@link #close()} also releases the backend connection pool.
 */
public final class GatewayEdge implements AutoCloseable {

    private final JwksKeyResolver jwks;
    private final BackendProxy proxy;
    private final BoundedAnalyticsSink analytics;
    private final GatewayMetrics metrics;
    private final GatewayHandler handler;
    private final GatewayServer server;

    /**
     * @param jwksClient the client that fetches the JWKS (its TLS trust set up by the caller)
     * @param keyStore   the HTTPS certificate, or null when {@code properties.httpsPort()} is -1
     */
    public GatewayEdge(GatewayProperties properties, GatewayLookup lookup, Throttler throttler, MeterRegistry registry,
                       Clock clock, HttpClient jwksClient, KeyStoreFile keyStore) {
        this(properties, lookup, throttler, registry, clock, jwksClient, properties::jwksUrl, keyStore);
    }

    /** @param jwksUrl where to fetch the JWKS, read at each fetch */
    public GatewayEdge(GatewayProperties properties, GatewayLookup lookup, Throttler throttler, MeterRegistry registry,
                       Clock clock, HttpClient jwksClient, java.util.function.Supplier<String> jwksUrl,
                       KeyStoreFile keyStore) {
        this.jwks = new JwksKeyResolver(jwksClient, jwksUrl, properties.jwksMinRefreshGap(),
                properties.jwksRefreshInterval(), properties.jwksFetchTimeout(), clock);
        JwtVerifier verifier = JwtVerifier.builder(properties.tokenIssuer(), jwks)
                .clock(clock)
                .clockSkew(properties.clockSkew())
                .build();
        TokenAuthenticator authenticator = new TokenAuthenticator(verifier, jwks, lookup, clock,
                properties.tokenCacheSize());
        this.proxy = new BackendProxy(properties.maxConnections(), properties.pendingAcquireTimeout(),
                properties.connectTimeout(), properties.responseTimeout());
        this.analytics = new BoundedAnalyticsSink(properties.analyticsBuffer());
        this.metrics = new GatewayMetrics(registry, analytics);
        this.handler = new GatewayHandler(lookup, new Routes(lookup), new BlockConditions(lookup), authenticator,
                new ThrottlePlanner(lookup), throttler, proxy, analytics, metrics, clock,
                properties.trustForwardedFor());
        this.server = new GatewayServer("0.0.0.0", properties.httpPort(), properties.httpsPort(), keyStore, handler,
                jwks::startBackgroundRefresh, jwks::close);
    }

    public GatewayServer server() {
        return server;
    }

    public GatewayHandler handler() {
        return handler;
    }

    public BoundedAnalyticsSink analytics() {
        return analytics;
    }

    public JwksKeyResolver jwks() {
        return jwks;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Stops the listeners and releases the backend connection pool. */
    @Override
    public void close() {
        server.stop();
        proxy.close();
    }
}
