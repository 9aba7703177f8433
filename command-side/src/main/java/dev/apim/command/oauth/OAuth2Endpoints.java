package dev.apim.command.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.jwt.InvalidTokenException;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.jwt.VerifiedToken;
import dev.apim.platform.oauth.OAuthClientStore.Kind;
import dev.apim.platform.oauth.OAuthClientStore.OAuthClient;
import dev.apim.platform.oauth.TokenRevocationStore;
import dev.apim.platform.wso2.admin.AdminAccess;
import dev.apim.platform.security.Caller;
import dev.apim.platform.security.CredentialStore;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Key Manager's OAuth2 endpoints: token (RFC 6749), revocation (RFC 7009) and introspection (RFC 7662).
 * Every answer carries {@code Cache-Control: no-store}; errors follow RFC 6749 §5.2.
 */
@RestController
@ConditionalOnRole(Roles.KEYMANAGER)
public class OAuth2Endpoints {

    static final Set<String> TOKEN_PARAMETERS = Set.of("grant_type", "scope", "username", "password",
            "refresh_token", ClientAuthenticator.CLIENT_ID, ClientAuthenticator.CLIENT_SECRET);
    static final Set<String> TOKEN_PARAMETERS_OF_REVOCATION = Set.of("token", "token_type_hint",
            ClientAuthenticator.CLIENT_ID, ClientAuthenticator.CLIENT_SECRET);
    static final String ACCESS_TOKEN_HINT = "access_token";
    static final String REFRESH_TOKEN_HINT = "refresh_token";

    private final ClientAuthenticator clients;
    private final TokenService tokens;
    private final RefreshTokenStore refreshTokens;
    private final TokenRevoker revoker;
    private final JwtVerifier verifier;
    private final TokenRevocationStore revocations;
    private final CredentialStore users;

    public OAuth2Endpoints(ClientAuthenticator clients, TokenService tokens, RefreshTokenStore refreshTokens,
                           TokenRevoker revoker, JwtVerifier verifier, TokenRevocationStore revocations,
                           CredentialStore users) {
        this.clients = clients;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.revoker = revoker;
        this.verifier = verifier;
        this.revocations = revocations;
        this.users = users;
    }

    @PostMapping(path = "/oauth2/token", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Object>> token(ServerWebExchange exchange) {
        return guarded(() -> OAuth2Form.read(exchange, TOKEN_PARAMETERS)
                .flatMap(form -> clients.authenticate(exchange, form)
                        .flatMap(client -> tokens.token(client, form, context(client, exchange))))
                .map(response -> noStore(ResponseEntity.ok()).body((Object) response)));
    }

    @PostMapping(path = "/oauth2/revoke")
    public Mono<ResponseEntity<Object>> revoke(ServerWebExchange exchange) {
        return guarded(() -> OAuth2Form.read(exchange, TOKEN_PARAMETERS_OF_REVOCATION)
                .flatMap(form -> clients.authenticate(exchange, form)
                        .flatMap(client -> revoke(client, form.require("token"), form.get("token_type_hint"),
                                context(client, exchange))))
                .then(Mono.fromSupplier(() -> noStore(ResponseEntity.ok()).build())));
    }

    private Mono<Void> revoke(OAuthClient client, String token, String hint, TokenRevoker.Context context) {
        // RFC 7009 §2.2: an invalid, expired or unknown token is answered 200 like a revoked one. The hint only
        // orders the search.
        boolean looksLikeJwt = token.chars().filter(c -> c == '.').count() == 2;
        if (!looksLikeJwt || REFRESH_TOKEN_HINT.equals(hint)) {
            return Mono.fromCallable(() -> refreshTokens.revoke(token, client.consumerKey()))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(revoked -> revoked.isPresent()
                            ? revoker.revokeAll(revoked.get(), "refresh token revoked by its client", context)
                            : looksLikeJwt ? revokeAccessToken(client, token, context) : Mono.empty());
        }
        return revokeAccessToken(client, token, context);
    }

    private Mono<Void> revokeAccessToken(OAuthClient client, String token, TokenRevoker.Context context) {
        VerifiedToken verified;
        try {
            verified = verifier.verify(token);
        } catch (InvalidTokenException e) {
            return Mono.empty();
        }
        if (!client.consumerKey().equals(verified.authorizedParty())) {
            return Mono.error(OAuth2Exception.unauthorizedClient("The token was not issued to this client"));
        }
        return revoker.revoke(client.tenant(), client.consumerKey(), verified.jti(), verified.expiresAt(),
                "revoked by its client", context);
    }

    @PostMapping(path = "/oauth2/introspect", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Object>> introspect(ServerWebExchange exchange) {
        return guarded(() -> OAuth2Form.read(exchange, TOKEN_PARAMETERS_OF_REVOCATION)
                .flatMap(form -> clients.authenticate(exchange, form)
                        .flatMap(client -> introspect(client, form.require("token"))))
                .map(body -> noStore(ResponseEntity.ok()).body((Object) body)));
    }

    private Mono<Introspection> introspect(OAuthClient client, String token) {
        boolean looksLikeJwt = token.chars().filter(c -> c == '.').count() == 2;
        if (!looksLikeJwt) {
            return Mono.fromCallable(() -> refreshTokens.findActive(token))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(found -> found.isEmpty() ? Mono.just(Introspection.INACTIVE)
                            : mayIntrospect(client, found.get().consumerKey())
                            .map(ok -> ok ? Introspection.of(found.get()) : Introspection.INACTIVE));
        }
        VerifiedToken verified;
        try {
            verified = verifier.verify(token);
        } catch (InvalidTokenException e) {
            return Mono.just(Introspection.INACTIVE);
        }
        return mayIntrospect(client, verified.authorizedParty())
                .filter(Boolean::booleanValue)
                .flatMap(ok -> revocations.isRevoked(verified.authorizedParty(), verified.jti(), verified.issuedAt()))
                .map(revoked -> revoked ? Introspection.INACTIVE : Introspection.of(verified, verifier))
                .defaultIfEmpty(Introspection.INACTIVE);
    }

    /** A client may introspect its own tokens; a management client of an admin may introspect any. */
    private Mono<Boolean> mayIntrospect(OAuthClient client, String tokenClient) {
        if (client.consumerKey().equals(tokenClient)) {
            return Mono.just(true);
        }
        if (client.kind() != Kind.MANAGEMENT) {
            return Mono.just(false);
        }
        return users.find(client.tenant(), client.owner())
                .map(user -> !user.locked() && user.roles().contains(AdminAccess.ADMIN_ROLE))
                .defaultIfEmpty(false);
    }

    /** RFC 7662 §2.2. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Introspection(boolean active, String scope, @JsonProperty("client_id") String clientId,
                                String username, @JsonProperty("token_type") String tokenType, Long exp, Long iat,
                                Long nbf, String sub, Object aud, String iss, String jti,
                                @JsonProperty("keytype") String keyType, @JsonProperty("aut") String aut,
                                Object application) {

        static final Introspection INACTIVE = new Introspection(false, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);

        static Introspection of(VerifiedToken t, JwtVerifier verifier) {
            Object aud = t.audience().size() == 1 ? t.audience().iterator().next() : List.copyOf(t.audience());
            Map<String, Object> application = t.application() == null ? null : Map.of(
                    "id", t.application().id(), "uuid", t.application().uuid(), "name", t.application().name());
            return new Introspection(true, String.join(" ", t.scopes().stream().sorted().toList()),
                    t.authorizedParty(), t.subject(), "Bearer", t.expiresAt().getEpochSecond(),
                    t.issuedAt().getEpochSecond(), t.issuedAt().getEpochSecond(), t.subject(), aud,
                    verifier.issuer(), t.jti(), t.keyType() == null ? null : t.keyType().name(),
                    t.authorizedUserType() == null ? null : t.authorizedUserType().name(), application);
        }

        static Introspection of(RefreshTokenStore.RefreshToken r) {
            return new Introspection(true, String.join(" ", r.scopes()), r.consumerKey(), r.username(),
                    "refresh_token", r.expiresAt().getEpochSecond(), r.issuedAt().getEpochSecond(), null,
                    r.username(), null, null, null, r.keyType().name(), null, null);
        }
    }

    private static TokenRevoker.Context context(OAuthClient client, ServerWebExchange exchange) {
        return new TokenRevoker.Context(new Caller(client.owner(), client.tenant(), Set.of()), exchange);
    }

    private static ResponseEntity.BodyBuilder noStore(ResponseEntity.BodyBuilder builder) {
        return builder.cacheControl(CacheControl.noStore()).header(HttpHeaders.PRAGMA, "no-cache");
    }

    private static Mono<ResponseEntity<Object>> guarded(Supplier<Mono<ResponseEntity<Object>>> body) {
        return Mono.defer(body).onErrorResume(OAuth2Exception.class, OAuth2Endpoints::error);
    }

    static Mono<ResponseEntity<Object>> error(OAuth2Exception e) {
        ResponseEntity.BodyBuilder builder = noStore(ResponseEntity.status(e.status()));
        if (e.wwwAuthenticate() != null) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, e.wwwAuthenticate());
        }
        if (e.retryAfterSeconds() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return Mono.just(builder.contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.error(), "error_description", e.getMessage())));
    }
}
