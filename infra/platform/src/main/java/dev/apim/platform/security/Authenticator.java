package dev.apim.platform.security;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One way of proving who calls the management plane (HTTP Basic now; bearer tokens from the Key Manager
 * later). Empty when the request carries no credentials of this kind; an error when it carries bad ones.
 */
public interface Authenticator {
    Mono<Caller> authenticate(ServerWebExchange exchange);
}
