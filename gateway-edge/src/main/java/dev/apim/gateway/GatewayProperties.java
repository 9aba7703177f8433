package dev.apim.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's request path ({@code apim.gateway.*}).
 *
 * @param httpPort           plain HTTP listener (WSO2: 8280); 0 = any free port, -1 = none
 * @param httpsPort          HTTPS listener (WSO2: 8243); 0 = any free port, -1 = none
 * @param keyStore           PKCS12 key store of the HTTPS listener; empty = a self-signed certificate generated once
 *                           under {@code apim.data-dir}/tls/gateway.p12
 * @param keyStorePassword   its password
 * @param hostnames          names and addresses a generated certificate is valid for
 * @param tokenIssuer        the {@code iss} every accepted access token must carry (the Key Manager's token endpoint)
 * @param jwksUrl            where the Key Manager publishes its signing keys; {@code local} (the default) = this node's
 *                           own management server, for nodes that also run the Key Manager
 * @param jwksTrustStore     PKCS12 trust store for the JWKS fetch (the management plane's self-signed certificate);
 *                           empty = {@code apim.data-dir}/tls/management.p12 when it exists, else the JDK's trust
 * @param jwksTrustStorePassword its password
 * @param jwksRefreshInterval background refresh of the JWKS
 * @param jwksMinRefreshGap  at most one extra fetch per this period when a token names an unknown {@code kid}
 * @param jwksFetchTimeout   how long one JWKS fetch may take
 * @param tokenCacheSize     verified tokens kept (until their {@code exp}) so a repeated token skips the RSA check;
 *                           0 = no cache. Revocation is checked on every request regardless.
 * @param clockSkew          tolerated clock difference for {@code exp}/{@code nbf}
 * @param trustForwardedFor  take the client address for block conditions and throttling conditions from the first
 *                           {@code X-Forwarded-For} entry (only behind a trusted load balancer)
 * @param connectTimeout     backend connect timeout
 * @param responseTimeout    backend response timeout (no byte from the backend for this long: 504)
 * @param maxConnections     backend connections per backend address, shared out over the event loops' pools
 * @param pendingAcquireTimeout how long a request may wait for a pooled backend connection
 * @param analyticsBuffer    analytics events kept in memory for the publisher; beyond it events are dropped (counted)
 */
@ConfigurationProperties("apim.gateway")
public record GatewayProperties(
        @DefaultValue("8280") int httpPort,
        @DefaultValue("8243") int httpsPort,
        Path keyStore,
        @DefaultValue("wso2carbon") String keyStorePassword,
        @DefaultValue({"localhost", "127.0.0.1", "::1"}) List<String> hostnames,
        @DefaultValue("https://localhost:9443/oauth2/token") String tokenIssuer,
        @DefaultValue("local") String jwksUrl,
        Path jwksTrustStore,
        @DefaultValue("wso2carbon") String jwksTrustStorePassword,
        @DefaultValue("5m") Duration jwksRefreshInterval,
        @DefaultValue("5s") Duration jwksMinRefreshGap,
        @DefaultValue("5s") Duration jwksFetchTimeout,
        @DefaultValue("10000") int tokenCacheSize,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue("false") boolean trustForwardedFor,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("60s") Duration responseTimeout,
        @DefaultValue("1000") int maxConnections,
        @DefaultValue("10s") Duration pendingAcquireTimeout,
        @DefaultValue("10000") int analyticsBuffer) {

    public GatewayProperties {
        if (httpPort < -1 || httpPort > 65535 || httpsPort < -1 || httpsPort > 65535) {
            throw new IllegalArgumentException("apim.gateway ports must be -1 (off), 0 (any) or 1..65535");
        }
        if (tokenIssuer == null || tokenIssuer.isBlank() || jwksUrl == null || jwksUrl.isBlank()) {
            throw new IllegalArgumentException("apim.gateway.token-issuer and apim.gateway.jwks-url are required");
        }
        if (maxConnections < 1 || analyticsBuffer < 1 || tokenCacheSize < 0) {
            throw new IllegalArgumentException("apim.gateway max-connections and analytics-buffer must be positive");
        }
        hostnames = List.copyOf(hostnames == null ? List.of("localhost") : hostnames);
    }

    /** Defaults, for tests and tools. */
    public static GatewayProperties defaults() {
        return new GatewayProperties(8280, 8243, null, "wso2carbon", List.of("localhost", "127.0.0.1", "::1"),
                "https://localhost:9443/oauth2/token", "https://localhost:9443/oauth2/jwks", null, "wso2carbon",
                Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 10000, Duration.ofSeconds(30),
                false, Duration.ofSeconds(10), Duration.ofSeconds(60), 1000, Duration.ofSeconds(10), 10000);
    }
}
