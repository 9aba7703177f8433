package dev.apim.gateway.proxy;

import dev.apim.gateway.route.RouteTable.Endpoint;
import io.netty.channel.ChannelOption;
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

    private final ConnectionProvider pool;
    private final HttpClient plain;
    private final HttpClient secure;
    /**
     * One client per endpoint with its address set, so that a call names only the request target (a relative URI):
     * an absolute URI makes reactor-netty parse it with a regular expression on every call, and copy the client's
     * configuration once more. The clients share {@link #pool}.
     */
    private final ConcurrentHashMap<Endpoint, HttpClient> clients = new ConcurrentHashMap<>();

    public BackendProxy(int maxConnections, Duration pendingAcquireTimeout, Duration connectTimeout,
                        Duration responseTimeout) {
        this.pool = ConnectionProvider.builder("apim-gateway-backend")
                .maxConnections(maxConnections)
                .pendingAcquireTimeout(pendingAcquireTimeout)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.plain = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .responseTimeout(responseTimeout)
                .followRedirect(false)
                .keepAlive(true);
        this.secure = plain.secure();
    }

    /**
     * Sends the call to {@code endpoint} + {@code target} and streams the answer back to {@code response}, applying
     * {@code extraHeaders} after the backend's headers. Fails with {@link BackendException} when the backend could
     * not be reached or did not answer in time before any response header was sent.
     */
    public Mono<Integer> forward(HttpServerRequest request, HttpServerResponse response, Endpoint endpoint,
                                 String target, String clientAddress, Consumer<HttpHeaders> extraHeaders) {
        HttpClient client = client(endpoint);
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

    /** The client of {@code endpoint}: its scheme, host and port fixed, so requests name only their target. */
    HttpClient client(Endpoint endpoint) {
        HttpClient client = clients.get(endpoint);
        if (client != null) {
            return client;
        }
        if (clients.size() >= MAX_ENDPOINT_CLIENTS) {
            clients.clear(); // endpoints of APIs long gone: start over (the connection pool is not affected)
        }
        String host = endpoint.host();
        if (host.length() > 1 && host.charAt(0) == '[' && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal as URI.getHost() gives it
        }
        HttpClient built = (endpoint.secure() ? secure : plain).host(host).port(endpoint.port());
        HttpClient raced = clients.putIfAbsent(endpoint, built);
        return raced != null ? raced : built;
    }

    int clientCount() {
        return clients.size();
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
        pool.dispose();
    }
}
