package dev.apim.gateway.proxy;

import dev.apim.gateway.route.RouteTable.Endpoint;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Forwards a call to its backend with one pooled, non-blocking reactor-netty client: request and response bodies
 * are streamed (never aggregated), hop-by-hop headers are dropped both ways (RFC 9110 §7.6.1 plus the ones the
 * {@code Connection} header names), {@code Authorization} is not forwarded (WSO2 strips it by default),
 * {@code Host} becomes the backend's and {@code X-Forwarded-For/-Proto/-Host} describe the original call.
 */
public final class BackendProxy implements AutoCloseable {

    /** Why a call could not be forwarded, for the gateway's error answer. */
    public enum Failure { UNREACHABLE, TIMEOUT, CLOSED }

    /** A failure of the backend exchange before any response header reached the client. */
    public static final class BackendException extends RuntimeException {
        private final Failure failure;

        BackendException(Failure failure, Throwable cause) {
            super(failure + ": " + cause, cause, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private static final AsciiString[] HOP_BY_HOP = {
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION, AsciiString.cached("proxy-connection"), HttpHeaderNames.EXPECT};
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

    /** Past this many distinct endpoints the per-endpoint clients are dropped and built again as used. */
    static final int MAX_ENDPOINT_CLIENTS = 1024;

    /**
     * Clients whose connections all live on one event loop (or, for {@link #shared}, on any): a connection pool, the
     * plain and TLS clients on it, and one client per endpoint with its address set, so that a call names only the
     * request target (a relative URI) — with an absolute URI reactor-netty matched a regular expression over it and
     * copied the client's configuration once more on every call.
     */
    private static final class Clients {
        final ConnectionProvider pool;
        final HttpClient plain;
        final HttpClient secure;
        final ConcurrentHashMap<Endpoint, HttpClient> byEndpoint = new ConcurrentHashMap<>();

        Clients(String name, int maxConnections, Duration pendingAcquireTimeout, Duration connectTimeout,
                Duration responseTimeout, EventLoop loop) {
            this.pool = ConnectionProvider.builder(name)
                    .maxConnections(maxConnections)
                    .pendingAcquireTimeout(pendingAcquireTimeout)
                    .maxIdleTime(Duration.ofSeconds(30))
                    .build();
            HttpClient client = HttpClient.create(pool)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                    .responseTimeout(responseTimeout)
                    .followRedirect(false)
                    .keepAlive(true);
            this.plain = loop == null ? client : client.runOn(loop);
            this.secure = plain.secure();
        }

        HttpClient client(Endpoint endpoint) {
            HttpClient client = byEndpoint.get(endpoint);
            if (client != null) {
                return client;
            }
            if (byEndpoint.size() >= MAX_ENDPOINT_CLIENTS) {
                byEndpoint.clear(); // endpoints of APIs long gone: start over (the connection pool is not affected)
            }
            String host = endpoint.host();
            if (host.length() > 1 && host.charAt(0) == '[' && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // an IPv6 literal as URI.getHost() gives it
            }
            HttpClient built = (endpoint.secure() ? secure : plain).host(host).port(endpoint.port());
            HttpClient raced = byEndpoint.putIfAbsent(endpoint, built);
            return raced != null ? raced : built;
        }
    }

    private final int maxConnections;
    private final Duration pendingAcquireTimeout;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    /** For calls not made from a gateway listener's event loop (none on the request path; tests). */
    private final Clients shared;
    /**
     * Per event loop of the gateway's listeners: a call is sent on a connection of the loop that serves the client's
     * connection, so the backend's answer is read and written back to the client on one thread, as an nginx worker
     * does, instead of being handed from the backend connection's loop to the client's (a task and a wake-up of
     * another thread per call, most of the time: reactor-netty's pool hands out idle connections of any loop).
     */
    private final ConcurrentHashMap<EventLoop, Clients> perLoop = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param maxConnections the most connections to one backend address, shared out over the event loops (each loop's
     *                       pool gets {@code ceil(maxConnections / loops)})
     */
    public BackendProxy(int maxConnections, Duration pendingAcquireTimeout, Duration connectTimeout,
                        Duration responseTimeout) {
        this.maxConnections = maxConnections;
        this.pendingAcquireTimeout = pendingAcquireTimeout;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.shared = new Clients("apim-gateway-backend", maxConnections, pendingAcquireTimeout, connectTimeout,
                responseTimeout, null);
    }

    private Clients clientsOf(EventLoop loop) {
        if (loop == null || closed) {
            return shared;
        }
        Clients clients = perLoop.get(loop);
        if (clients != null) {
            return clients;
        }
        return perLoop.computeIfAbsent(loop, l -> new Clients("apim-gateway-backend-" + perLoop.size(),
                Math.max(1, (maxConnections + LOOPS - 1) / LOOPS), pendingAcquireTimeout, connectTimeout,
                responseTimeout, l));
    }

    /** reactor-netty's default number of event loops (its {@code reactor.netty.ioWorkerCount}). */
    private static final int LOOPS = Math.max(1, LoopResources.DEFAULT_IO_WORKER_COUNT);

    /** The event loop serving {@code request}'s connection, or null. */
    static EventLoop eventLoop(HttpServerRequest request) {
        EventLoop[] loop = new EventLoop[1];
        request.withConnection(c -> loop[0] = c.channel().eventLoop());
        return loop[0];
    }

    /**
     * Sends the call to {@code endpoint} + {@code target} and streams the answer back to {@code response}, applying
     * {@code extraHeaders} after the backend's headers. Fails with {@link BackendException} when the backend could
     * not be reached or did not answer in time before any response header was sent.
     */
    public Mono<Integer> forward(HttpServerRequest request, HttpServerResponse response, Endpoint endpoint,
                                 String target, String clientAddress, Consumer<HttpHeaders> extraHeaders) {
        HttpClient client = clientsOf(eventLoop(request)).client(endpoint);
        HttpMethod method = request.method();
        HttpHeaders incoming = request.requestHeaders();
        boolean hasBody = incoming.contains(HttpHeaderNames.CONTENT_LENGTH)
                || incoming.contains(HttpHeaderNames.TRANSFER_ENCODING);
        return client.request(method)
                .uri(target.startsWith("/") ? target : "/" + target)
                .send((out, outbound) -> {
                    HttpHeaders h = out.requestHeaders();
                    copyRequestHeaders(incoming, h);
                    h.set(HttpHeaderNames.HOST, endpoint.authority());
                    String forwardedFor = incoming.get(X_FORWARDED_FOR);
                    if (clientAddress != null) {
                        h.set(X_FORWARDED_FOR, forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
                    }
                    h.set(X_FORWARDED_PROTO, request.scheme());
                    String host = incoming.get(HttpHeaderNames.HOST);
                    if (host != null) {
                        h.set(X_FORWARDED_HOST, host);
                    }
                    return hasBody ? outbound.send(request.receive().retain()) : outbound;
                })
                .response((in, body) -> {
                    response.status(in.status());
                    HttpHeaders h = response.responseHeaders();
                    copyResponseHeaders(in.responseHeaders(), h);
                    extraHeaders.accept(h);
                    return response.send(body.retain()).then().thenReturn(in.status().code());
                })
                .next()
                .onErrorMap(e -> !response.hasSentHeaders() && classify(e) != null,
                        e -> new BackendException(classify(e), e));
    }

    /** The client of {@code endpoint} for calls from outside the listeners' event loops. */
    HttpClient client(Endpoint endpoint) {
        return shared.client(endpoint);
    }

    int clientCount() {
        return shared.byEndpoint.size() + perLoop.values().stream().mapToInt(c -> c.byEndpoint.size()).sum();
    }

    int loopPools() {
        return perLoop.size();
    }

    static Failure classify(Throwable e) {
        if (e instanceof BackendException) {
            return null;
        }
        if (e instanceof ConnectTimeoutException || e instanceof ReadTimeoutException
                || e instanceof WriteTimeoutException || e instanceof TimeoutException) {
            return Failure.TIMEOUT;
        }
        if (e instanceof PrematureCloseException) {
            return Failure.CLOSED;
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof java.io.IOException || e.getClass().getName().contains("PoolAcquire")) {
            return Failure.UNREACHABLE;
        }
        return null;
    }

    private static void copyRequestHeaders(HttpHeaders from, HttpHeaders to) {
        Set<String> named = connectionTokens(from);
        // CharSequence iteration: no String copy of every header name and value (the JWT alone is ~1 KB).
        Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (isHopByHop(name, named) || HttpHeaderNames.AUTHORIZATION.contentEqualsIgnoreCase(name)
                    || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
                continue;
            }
            to.add(name, e.getValue());
        }
    }

    private static void copyResponseHeaders(HttpHeaders from, HttpHeaders to) {
        Set<String> named = connectionTokens(from);
        Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!isHopByHop(e.getKey(), named)) {
                to.add(e.getKey(), e.getValue());
            }
        }
    }

    private static boolean isHopByHop(CharSequence name, Set<String> named) {
        for (AsciiString h : HOP_BY_HOP) {
            if (h.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return !named.isEmpty() && named.contains(name.toString().toLowerCase(Locale.ROOT));
    }

    private static Set<String> connectionTokens(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection == null || connection.equalsIgnoreCase("keep-alive") || connection.equalsIgnoreCase("close")) {
            return Set.of(); // the usual values name no other header
        }
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String t : connection.split(",")) {
            String token = t.trim().toLowerCase(Locale.ROOT);
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    @Override
    public void close() {
        closed = true;
        shared.pool.dispose();
        perLoop.values().forEach(c -> c.pool.dispose());
        perLoop.clear();
    }
}
