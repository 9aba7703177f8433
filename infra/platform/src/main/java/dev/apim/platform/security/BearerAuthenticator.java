package dev.apim.platform.security;

import dev.apim.domain.common.Tenants;
import dev.apim.platform.jwt.InvalidTokenException;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.jwt.VerifiedToken;
import dev.apim.platform.oauth.TokenRevocationStore;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Management calls with {@code Authorization: Bearer <JWT>} issued by our Key Manager: the signature, expiry and
 * issuer are checked by the {@link JwtVerifier}, revocation (by {@code jti}, consumer key cut-off or a dead
 * client) by the {@link TokenRevocationStore}, and the subject must still be an unlocked user whose password has
 * not changed since the token was issued. The caller's roles
 * are the user's current roles; its scopes are the token's.
 */
public class BearerAuthenticator implements Authenticator {

    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final JwtVerifier verifier;
    private final TokenRevocationStore revocations;
    private final CredentialStore users;

    public BearerAuthenticator(JwtVerifier verifier, TokenRevocationStore revocations, CredentialStore users) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.users = users;
    }

    @Override
    public Mono<Caller> authenticate(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Mono.empty();
        }
        String token = header.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Mono.error(AuthenticationFailure.invalidToken());
        }
        VerifiedToken verified;
        try {
            verified = verifier.verify(token);
        } catch (InvalidTokenException e) {
            return Mono.error(AuthenticationFailure.invalidToken());
        }
        String subject = verified.subject();
        String tenant = Tenants.SUPER_TENANT;
        return revocations.isRevoked(verified.authorizedParty(), verified.jti(), verified.issuedAt())
                .flatMap(revoked -> revoked ? Mono.<Caller>error(AuthenticationFailure.invalidToken())
                        : users.find(tenant, subject)
                        .filter(user -> !user.locked() && !user.tokenPredatesPasswordChange(verified.issuedAt()))
                        .switchIfEmpty(Mono.error(AuthenticationFailure.invalidToken()))
                        .map(user -> new Caller(user.username(), user.tenant(), user.roles(), verified.scopes())));
    }
}
