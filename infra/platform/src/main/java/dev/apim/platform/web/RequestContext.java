package dev.apim.platform.web;

import org.springframework.web.server.ServerWebExchange;

import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Per-request facts the audit trail records: the correlation id (the caller's {@code X-Correlation-ID} when it
 * is well-formed, else a new one, echoed back) and the client IP.
 */
public final class RequestContext {

    public static final String CORRELATION_HEADER = "X-Correlation-ID";
    private static final String CORRELATION_ATTRIBUTE = RequestContext.class.getName() + ".correlationId";
    private static final Pattern VALID_CORRELATION = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private RequestContext() {}

    public static String correlationId(ServerWebExchange exchange) {
        String existing = exchange.getAttribute(CORRELATION_ATTRIBUTE);
        if (existing != null) {
            return existing;
        }
        String offered = exchange.getRequest().getHeaders().getFirst(CORRELATION_HEADER);
        String id = offered != null && VALID_CORRELATION.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        exchange.getAttributes().put(CORRELATION_ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(CORRELATION_HEADER, id);
        return id;
    }

    public static String clientIp(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
