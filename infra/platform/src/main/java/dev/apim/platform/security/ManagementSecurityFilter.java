package dev.apim.platform.security;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The single security check of the management plane: every request under a protected prefix must prove
 * its caller through one of the configured {@link Authenticator}s; the caller is then available to handlers
 * as the {@link Caller#ATTRIBUTE} exchange attribute. Anything else (health, metrics) passes untouched.
 */
public class ManagementSecurityFilter implements WebFilter {

    private final List<String> protectedPrefixes;
    private final List<Authenticator> authenticators;

    public ManagementSecurityFilter(List<String> protectedPrefixes, List<Authenticator> authenticators) {
        this.protectedPrefixes = List.copyOf(protectedPrefixes);
        this.authenticators = List.copyOf(authenticators);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (protectedPrefixes.stream().noneMatch(path::startsWith)) {
            return chain.filter(exchange);
        }
        return Flux.fromIterable(authenticators)
                .concatMap(a -> a.authenticate(exchange))
                .next()
                .switchIfEmpty(Mono.error(AuthenticationFailure::missing))
                .doOnError(e -> exchange.getResponse().getHeaders()
                        .set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"apim\""))
                .flatMap(caller -> {
                    exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
                    return chain.filter(exchange);
                });
    }
}
