package dev.apim.launcher;

import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.tls.KeyStoreFile;
import dev.apim.platform.tls.SelfSignedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The management plane's listeners: HTTPS on {@code apim.management.port} with a self-signed certificate
 * generated on first start (kept under {@code apim.data-dir/tls}), and optionally the same application on a
 * plain-HTTP port for a load balancer that terminates TLS.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ManagementServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ManagementServerConfiguration.class);

    @Bean
    public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementListener(ManagementProperties management,
                                                                                        ApimProperties apim) {
        return factory -> {
            factory.setPort(management.port());
            if (management.tls()) {
                KeyStoreFile keyStore = SelfSignedCertificate.ensure(
                        apim.dataDir().resolve("tls").resolve("management.p12").toAbsolutePath(),
                        management.keystorePassword().toCharArray(), "localhost", management.hostnames());
                Ssl ssl = new Ssl();
                ssl.setEnabled(true);
                ssl.setKeyStore(keyStore.path().toUri().toString());
                ssl.setKeyStoreType(KeyStoreFile.TYPE);
                ssl.setKeyStorePassword(new String(keyStore.password()));
                ssl.setKeyAlias(keyStore.alias());
                factory.setSsl(ssl);
            }
        };
    }

    @Bean
    public SmartLifecycle plainHttpListener(ManagementProperties management, HttpHandler httpHandler) {
        return new SmartLifecycle() {
            private volatile DisposableServer server;

            @Override
            public void start() {
                if (management.httpPort() <= 0) {
                    return;
                }
                server = HttpServer.create().host("0.0.0.0").port(management.httpPort())
                        .handle(new ReactorHttpHandlerAdapter(httpHandler)).bindNow();
                log.info("Management plane also on plain HTTP port {}", server.port());
            }

            @Override
            public void stop() {
                if (server != null) {
                    server.disposeNow();
                    server = null;
                }
            }

            @Override
            public boolean isRunning() {
                return server != null;
            }
        };
    }
}
