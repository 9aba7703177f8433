package dev.apim.gateway;

import dev.apim.gateway.model.GatewayLookup;
import dev.apim.gateway.server.GatewayServer;
import dev.apim.gateway.throttle.Throttler;
import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.tls.KeyStoreFile;
import dev.apim.platform.tls.SelfSignedCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The gateway's data path, on nodes with role {@code gateway}. Needs a {@link GatewayLookup} (the in-memory state fed
 * by the Traffic Manager's stream) and a {@link Throttler} (Redis) bean; a {@link MeterRegistry} and a
 * {@link Clock} are used when present.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.GATEWAY)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Bean
    public GatewayEdge gatewayEdge(GatewayProperties properties, ApimProperties apim, GatewayLookup lookup,
                                   Throttler throttler, ObjectProvider<MeterRegistry> registry,
                                   ObjectProvider<Clock> clock, ApplicationContext context, Environment environment) {
        KeyStoreFile keyStore = null;
        if (properties.httpsPort() >= 0) {
            keyStore = properties.keyStore() != null
                    ? new KeyStoreFile(properties.keyStore(), properties.keyStorePassword().toCharArray(),
                            SelfSignedCertificate.ALIAS)
                    : SelfSignedCertificate.ensure(apim.dataDir().resolve("tls").resolve("gateway.p12")
                            .toAbsolutePath(), properties.keyStorePassword().toCharArray(), "localhost",
                            properties.hostnames());
        }
        boolean local = LOCAL.equals(properties.jwksUrl());
        if (local && !apim.roleSet().contains(dev.apim.platform.config.Roles.KEYMANAGER)) {
            throw new IllegalStateException("apim.gateway.jwks-url (APIM_GATEWAY_JWKS_URL) must name the Key "
                    + "Manager's JWKS (https://<key manager>/oauth2/jwks) on a node without role keymanager");
        }
        boolean https = local ? environment.getProperty("apim.management.tls", Boolean.class, true)
                : properties.jwksUrl().regionMatches(true, 0, "https:", 0, 6);
        Supplier<String> jwksUrl = local ? () -> localJwksUrl(context, https) : properties::jwksUrl;
        return new GatewayEdge(properties, lookup, throttler, registry.getIfAvailable(() -> Metrics.globalRegistry),
                clock.getIfAvailable(Clock::systemUTC), jwksClient(properties, apim, https), jwksUrl, keyStore);
    }

    /** {@code apim.gateway.jwks-url=local}: this node's own management server, once it listens. */
    static final String LOCAL = "local";

    static String localJwksUrl(ApplicationContext context, boolean https) {
        if (!(context instanceof WebServerApplicationContext web) || web.getWebServer() == null
                || web.getWebServer().getPort() <= 0) {
            throw new IllegalStateException("apim.gateway.jwks-url=local needs this node's management server "
                    + "(role keymanager) to be listening; configure the Key Manager's JWKS URL instead");
        }
        return (https ? "https" : "http") + "://localhost:" + web.getWebServer().getPort() + "/oauth2/jwks";
    }

    @Bean
    public GatewayServer gatewayServer(GatewayEdge edge) {
        return edge.server();
    }

    /**
     * The JWKS client: the JDK's trusted authorities plus, for the all-in-one default, the management plane's
     * self-signed certificate ({@code apim.gateway.jwks-trust-store}, else {@code <data-dir>/tls/management.p12}
     * when it exists).
     */
    static HttpClient jwksClient(GatewayProperties properties, ApimProperties apim, boolean https) {
        HttpClient client = HttpClient.create().followRedirect(false);
        if (!https) {
            return client;
        }
        Path trust = properties.jwksTrustStore() != null ? properties.jwksTrustStore()
                : apim.dataDir().resolve("tls").resolve("management.p12").toAbsolutePath();
        if (!Files.isReadable(trust)) {
            return client;
        }
        try {
            List<X509Certificate> trusted = new ArrayList<>();
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    Collections.addAll(trusted, x.getAcceptedIssuers());
                }
            }
            KeyStore store = new KeyStoreFile(trust, properties.jwksTrustStorePassword().toCharArray(),
                    SelfSignedCertificate.ALIAS).load();
            for (String alias : Collections.list(store.aliases())) {
                Certificate c = store.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    trusted.add(x);
                }
            }
            X509Certificate[] all = trusted.toArray(X509Certificate[]::new);
            Http11SslContextSpec spec = Http11SslContextSpec.forClient().configure(b -> b.trustManager(all));
            return client.secure(s -> s.sslContext(spec));
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn("cannot use {} to trust the JWKS endpoint, using the JDK's trust only: {}", trust, e.toString());
            return client;
        }
    }
}
