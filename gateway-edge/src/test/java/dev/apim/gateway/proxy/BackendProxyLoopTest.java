package dev.apim.gateway.proxy;

import dev.apim.gateway.route.RouteTable.Endpoint;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy sends a call on a backend connection of the event loop that serves the client's connection (one pool
 * per loop), and answers it from there: the backend's answer is not handed to another thread.
 */
class BackendProxyLoopTest {

    private DisposableServer backend;
    private DisposableServer front;
    private BackendProxy proxy;
    /** Per call: did the backend's answer reach the client's connection on that connection's own loop? */
    private final Set<Boolean> answeredOnClientLoop = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() {
        backend = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.header("content-type", "text/plain").sendString(Mono.just("ok " + req.uri())))
                .bindNow();
        proxy = new BackendProxy(64, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        Endpoint endpoint = new Endpoint(false, "127.0.0.1", backend.port(), "/base",
                "127.0.0.1:" + backend.port());
        front = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    EventLoop loop = BackendProxy.eventLoop(req);
                    return proxy.forward(req, res, endpoint, "/base" + req.uri(), "127.0.0.1",
                            h -> answeredOnClientLoop.add(loop != null && loop.inEventLoop())).then();
                })
                .bindNow();
    }

    @AfterEach
    void tearDown() {
        front.disposeNow();
        backend.disposeNow();
        proxy.close();
    }

    @Test
    void calls_go_out_on_the_event_loop_of_the_client_connection() {
        HttpClient client = HttpClient.create().baseUrl("http://127.0.0.1:" + front.port());
        for (int i = 0; i < 20; i++) {
            String body = client.get().uri("/menu?i=" + i).responseContent().aggregate().asString()
                    .block(Duration.ofSeconds(5));
            assertThat(body).isEqualTo("ok /base/menu?i=" + i);
        }
        assertThat(answeredOnClientLoop).containsExactly(true);
        assertThat(proxy.loopPools()).isPositive();
        assertThat(proxy.clientCount()).isEqualTo(proxy.loopPools()); // one endpoint client per loop, none shared
    }
}
