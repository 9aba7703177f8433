package dev.apim.query.internal;

import dev.apim.platform.broadcast.InternalKey;
import dev.apim.platform.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards everything under {@code /internal/}: the request must carry the internal key in
 * {@value InternalKey#HEADER}; otherwise 401 with WSO2's 900901 body. These endpoints are for gateways, never for
 * the public, and are outside the management plane's {@code /api/am/} users and scopes.
 */
public class InternalKeyFilter implements WebFilter {

    static final String PREFIX = "/internal/";

    private final InternalKey key;

    public InternalKeyFilter(InternalKey key) {
        this.key = key;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(PREFIX) && !path.equals("/internal")) {
            return chain.filter(exchange);
        }
        if (!key.matches(exchange.getRequest().getHeaders().getFirst(InternalKey.HEADER))) {
            return Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, 900901, "Invalid Credentials",
                    "Missing or wrong " + InternalKey.HEADER + " header. Make sure you have provided the internal key."));
        }
        return chain.filter(exchange);
    }
}
