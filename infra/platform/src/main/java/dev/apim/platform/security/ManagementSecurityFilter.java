package dev.apim.platform.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Optional;

/**
 * The single security check of the management plane: every request under a protected prefix must prove
 * its caller through one of the configured {@link Authenticator}s, and the caller must then hold one of the
 * scopes its operation needs ({@link ScopeRules}); an operation without a rule is refused (deny by default).
 * The caller is then available to handlers as the {@link Caller#ATTRIBUTE} exchange attribute. Anything
 * else (health, metrics, self sign-up) passes untouched.
 */
public class ManagementSecurityFilter implements WebFilter {

    private final List<String> protectedPrefixes;
    private final List<Authenticator> authenticators;
    private final ScopeRules scopeRules;
    private final boolean basicEnabled;

    public ManagementSecurityFilter(List<String> protectedPrefixes, List<Authenticator> authenticators,
                                    ScopeRules scopeRules) {
        this.protectedPrefixes = List.copyOf(protectedPrefixes);
        this.authenticators = List.copyOf(authenticators);
        this.scopeRules = scopeRules;
        this.basicEnabled = authenticators.stream().anyMatch(BasicAuthenticator.class::isInstance);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (protectedPrefixes.stream().noneMatch(path.value()::startsWith)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        String challenge = (bearer ? "Bearer realm=\"apim\", error=\"invalid_token\"" : "Bearer realm=\"apim\"")
                + (basicEnabled ? ", Basic realm=\"apim\"" : "");
        return Flux.fromIterable(authenticators)
                .concatMap(a -> a.authenticate(exchange))
                .next()
                .switchIfEmpty(Mono.error(AuthenticationFailure::missing))
                .doOnError(e -> exchange.getResponse().getHeaders()
                        .set(HttpHeaders.WWW_AUTHENTICATE, challenge))
                .flatMap(caller -> {
                    authorize(exchange, exchange.getRequest().getMethod(), path, caller);
                    exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
                    return chain.filter(exchange);
                });
    }

    /** Throws WSO2's 900910 unless a rule covers the operation and the caller holds one of its scopes. */
    private void authorize(ServerWebExchange exchange, HttpMethod method, PathContainer path, Caller caller) {
        Optional<ScopeRules.Rule> rule = scopeRules.match(method, path);
        if (rule.isEmpty()) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"insufficient_scope\"");
            throw AuthenticationFailure.insufficientScope("User is NOT authorized to access the Resource: "
                    + method + " " + path.value() + ". No scope is defined for this operation, so it is denied.");
        }
        if (!rule.get().permits(caller.scopes())) {
            String scopes = rule.get().scopeList();
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"insufficient_scope\", scope=\"" + scopes + "\"");
            throw AuthenticationFailure.insufficientScope("User is NOT authorized to access the Resource: "
                    + method + " " + path.value() + ". Scope validation failed: one of [" + scopes
                    + "] is required.");
        }
    }
}
