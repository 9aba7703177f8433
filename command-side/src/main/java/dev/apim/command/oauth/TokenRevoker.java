package dev.apim.command.oauth;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.keys.TokenRevocations;
import dev.apim.domain.keys.command.RevokeAccessToken;
import dev.apim.platform.security.Caller;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;

/**
 * Revokes access tokens by {@code jti}: each revocation is an event of the consumer key's
 * {@code TokenRevocations} aggregate, answered once the read models (and so every Key Manager and, through the
 * broadcast stream, every gateway) know it.
 */
public class TokenRevoker {

    /** Who asks, for the audit metadata of the revocation events. */
    public record Context(Caller caller, ServerWebExchange exchange) {}

    private final CommandDispatcher commands;

    public TokenRevoker(CommandDispatcher commands) {
        this.commands = commands;
    }

    public Mono<Void> revoke(String tenant, String consumerKey, String jti, Instant expiresAt, String reason,
                             Context context) {
        return commands.send(new RevokeAccessToken(TokenRevocations.idOf(consumerKey), tenant, consumerKey, jti,
                expiresAt, reason), context.caller(), context.exchange()).then();
    }

    public Mono<Void> revokeAll(List<RefreshTokenStore.IssuedAccess> tokens, String reason, Context context) {
        return Flux.fromIterable(tokens)
                .concatMap(t -> revoke(t.tenant(), t.consumerKey(), t.jti(), t.expiresAt(), reason, context))
                .then();
    }
}
