package dev.apim.gateway.server;

import dev.apim.platform.tls.KeyStoreFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.springframework.context.SmartLifecycle;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

import javax.net.ssl.KeyManagerFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * The gateway's listeners, separate from the management server: plain HTTP (WSO2: 8280) and HTTPS (8243), both
 * served by reactor-netty directly with {@link GatewayHandler} (no WebFlux dispatch on the data path).
 */
public final class GatewayServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final String host;
    private final int httpPort;
    private final int httpsPort;
    private final KeyStoreFile keyStore;
    private final GatewayHandler handler;
    private final Runnable onStart;
    private final Runnable onStop;
    private volatile DisposableServer http;
    private volatile DisposableServer https;

    /**
     * @param httpPort  -1 for none, 0 for any free port
     * @param httpsPort -1 for none, 0 for any free port
     * @param keyStore  the HTTPS certificate (required when {@code httpsPort} is not -1)
     * @param onStart   run before the listeners open (e.g. the first JWKS fetch)
     * @param onStop    run after they closed
     */
    public GatewayServer(String host, int httpPort, int httpsPort, KeyStoreFile keyStore, GatewayHandler handler,
                         Runnable onStart, Runnable onStop) {
        if (httpsPort >= 0 && keyStore == null) {
            throw new IllegalArgumentException("the HTTPS listener needs a key store");
        }
        this.host = host;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.keyStore = keyStore;
        this.handler = handler;
        this.onStart = onStart;
        this.onStop = onStop;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        onStart.run();
        try {
            if (httpPort >= 0) {
                http = HttpServer.create().host(host).port(httpPort).channelGroup(connections())
                        .handle(handler).bindNow();
                log.info("Gateway listening on HTTP port {}", http.port());
            }
            if (httpsPort >= 0) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore.load(), keyStore.password());
                Http11SslContextSpec tls = Http11SslContextSpec.forServer(kmf);
                https = HttpServer.create().host(host).port(httpsPort).channelGroup(connections())
                        .secure(spec -> spec.sslContext(tls))
                        .handle(handler).bindNow();
                log.info("Gateway listening on HTTPS port {}", https.port());
            }
        } catch (GeneralSecurityException e) {
            stop();
            throw new IllegalStateException("cannot start the gateway's HTTPS listener", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * With a channel group, reactor-netty's {@code disposeNow} is graceful: it stops accepting, closes idle
     * connections and lets requests in flight finish (within the timeout) before closing theirs. Without one it closes
     * every connection at once and cuts responses being proxied (seen when a gateway was stopped under load behind
     * the balancer, issue 7).
     */
    private static DefaultChannelGroup connections() {
        return new DefaultChannelGroup(new DefaultEventExecutor());
    }

    @Override
    public synchronized void stop() {
        DisposableServer h = http;
        DisposableServer s = https;
        http = null;
        https = null;
        if (h != null) {
            h.disposeNow(Duration.ofSeconds(10));
        }
        if (s != null) {
            s.disposeNow(Duration.ofSeconds(10));
        }
        onStop.run();
    }

    @Override
    public boolean isRunning() {
        return http != null || https != null;
    }

    /** The bound HTTP port, or -1. */
    public int httpPort() {
        DisposableServer h = http;
        return h == null ? -1 : h.port();
    }

    /** The bound HTTPS port, or -1. */
    public int httpsPort() {
        DisposableServer s = https;
        return s == null ? -1 : s.port();
    }
}
