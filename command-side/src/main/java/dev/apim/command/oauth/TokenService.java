package dev.apim.command.oauth;

import dev.apim.domain.common.Tenants;
import dev.apim.domain.keys.GrantTypes;
import dev.apim.domain.keys.KeyType;
import dev.apim.platform.jwt.AuthorizedUserType;
import dev.apim.platform.jwt.IssuedToken;
import dev.apim.platform.jwt.TokenRequest;
import dev.apim.platform.oauth.OAuthClientStore.Kind;
import dev.apim.platform.oauth.OAuthClientStore.OAuthClient;
import dev.apim.platform.security.CredentialStore;
import dev.apim.platform.security.CredentialStore.StoredUser;
import dev.apim.platform.security.PasswordHashing;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The grants of {@code POST /oauth2/token}: {@code client_credentials}, {@code password} and rotating
 * {@code refresh_token}. The client is already authenticated. Access tokens are JWTs and are not stored; refresh
 * tokens are opaque and stored hashed ({@link RefreshTokenStore}).
 */
public class TokenService {

    static final String INVALID_USER = "Invalid resource owner credentials";

    private final Function<TokenRequest, IssuedToken> issuer;
    private final Duration maxTokenLifetime;
    private final CredentialStore users;
    private final AttemptGuard guard;
    private final RefreshTokenStore refreshTokens;
    private final ScopePolicy scopes;
    private final TokenRevoker revoker;

    public TokenService(Function<TokenRequest, IssuedToken> issuer, Duration maxTokenLifetime, CredentialStore users,
                        AttemptGuard guard, RefreshTokenStore refreshTokens, ScopePolicy scopes,
                        TokenRevoker revoker) {
        this.issuer = issuer;
        this.maxTokenLifetime = maxTokenLifetime;
        this.users = users;
        this.guard = guard;
        this.refreshTokens = refreshTokens;
        this.scopes = scopes;
        this.revoker = revoker;
    }

    public Mono<TokenResponse> token(OAuthClient client, OAuth2Form form, TokenRevoker.Context context) {
        String grantType = form.require("grant_type");
        return switch (grantType) {
            case GrantTypes.CLIENT_CREDENTIALS -> allowed(client, grantType).then(clientCredentials(client, form));
            case GrantTypes.PASSWORD -> allowed(client, grantType).then(password(client, form));
            case GrantTypes.REFRESH_TOKEN -> allowed(client, grantType).then(refresh(client, form, context));
            default -> Mono.error(OAuth2Exception.unsupportedGrantType(
                    "Grant type '" + grantType + "' is not supported; use client_credentials, password or "
                            + "refresh_token"));
        };
    }

    private static Mono<Void> allowed(OAuthClient client, String grantType) {
        return client.allowsGrant(grantType) ? Mono.empty()
                : Mono.error(OAuth2Exception.unauthorizedClient(
                "The client may not use the '" + grantType + "' grant; it allows " + client.grantTypes()));
    }

    private Mono<TokenResponse> clientCredentials(OAuthClient client, OAuth2Form form) {
        return clientCredentials(client, ScopePolicy.parse(form.get("scope")), null);
    }

    /**
     * A client-credentials token for an authenticated client: subject is the client's owner, scopes narrowed by
     * the owner's roles, lifetime {@code validitySeconds} when given (capped like every lifetime) or the client's.
     */
    public Mono<TokenResponse> clientCredentials(OAuthClient client, List<String> requested, Long validitySeconds) {
        return users.find(client.tenant(), client.owner())
                .map(StoredUser::roles)
                .defaultIfEmpty(Set.of())
                .flatMap(roles -> {
                    List<String> granted = scopes.grant(requested, roles);
                    long lifetime = validitySeconds != null && validitySeconds > 0 ? validitySeconds
                            : client.lifetimes().applicationAccessTokenSeconds();
                    return issue(client, client.owner(), granted, AuthorizedUserType.APPLICATION, lifetime,
                            client.keyType()).map(token -> response(token, null, granted));
                });
    }

    private Mono<TokenResponse> password(OAuthClient client, OAuth2Form form) {
        String login = form.require("username");
        String password = form.require("password");
        List<String> requested = ScopePolicy.parse(form.get("scope"));
        String username = login;
        String tenant = Tenants.SUPER_TENANT;
        int at = login.lastIndexOf('@');
        if (at > 0 && login.substring(at + 1).equals(Tenants.SUPER_TENANT)) {
            username = login.substring(0, at);
        }
        if (username.length() > 255 || password.length() > 1024) {
            return Mono.error(OAuth2Exception.invalidGrant(INVALID_USER));
        }
        String name = username;
        String key = AttemptGuard.user(tenant, name);
        return guard.standing(key).flatMap(standing -> {
            if (standing.locked()) {
                return Mono.error(OAuth2Exception.temporarilyLocked("invalid_grant", standing.lockedForSeconds()));
            }
            return users.find(tenant, name)
                    .filterWhen(user -> user.locked() ? Mono.just(false)
                            : Mono.fromCallable(() -> PasswordHashing.matches(password, user.passwordHash()))
                            .subscribeOn(Schedulers.boundedElastic()))
                    .switchIfEmpty(Mono.defer(() -> guard.failed(key)
                            .then(Mono.error(OAuth2Exception.invalidGrant(INVALID_USER)))))
                    .flatMap(user -> guard.succeeded(key, standing).thenReturn(user))
                    .flatMap(user -> userTokens(client, user, scopes.grant(requested, user.roles()),
                            UUID.randomUUID()));
        });
    }

    private Mono<TokenResponse> refresh(OAuthClient client, OAuth2Form form, TokenRevoker.Context context) {
        String presented = form.require("refresh_token");
        List<String> requested = ScopePolicy.parse(form.get("scope"));
        return Mono.fromCallable(() -> refreshTokens.rotate(presented, client.consumerKey()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(rotation -> {
                    if (rotation instanceof RefreshTokenStore.Rotation.Reused reused) {
                        return revoker.revokeAll(reused.revoked(), "refresh token reused after rotation", context)
                                .then(Mono.error(OAuth2Exception.invalidGrant(
                                        "The refresh token was already used; its grant is revoked")));
                    }
                    if (!(rotation instanceof RefreshTokenStore.Rotation.Rotated rotated)) {
                        return Mono.error(OAuth2Exception.invalidGrant(
                                "The refresh token is invalid, expired or revoked"));
                    }
                    var previous = rotated.previous();
                    if (!previous.scopes().containsAll(requested)) {
                        return Mono.error(OAuth2Exception.invalidScope(
                                "A refresh may only narrow the scopes originally granted: " + previous.scopes()));
                    }
                    List<String> wanted = requested.isEmpty() ? previous.scopes() : requested;
                    return users.find(previous.tenant(), previous.username())
                            .filter(user -> !user.locked())
                            .switchIfEmpty(Mono.error(OAuth2Exception.invalidGrant(
                                    "The user of this refresh token is unknown or locked")))
                            .flatMap(user -> userTokens(client, user, scopes.grant(wanted, user.roles()),
                                    previous.familyId()));
                });
    }

    private Mono<TokenResponse> userTokens(OAuthClient client, StoredUser user, List<String> granted, UUID family) {
        Duration refreshLifetime = Duration.ofSeconds(client.lifetimes().refreshTokenSeconds());
        return issue(client, user.username(), granted, AuthorizedUserType.APPLICATION_USER,
                client.lifetimes().userAccessTokenSeconds(), client.keyType())
                .map(token -> {
                    if (!client.allowsGrant(GrantTypes.REFRESH_TOKEN)) {
                        return response(token, null, granted);
                    }
                    // Still on the bounded elastic thread that signed: the JDBC insert does not block the loop.
                    String refresh = refreshTokens.issue(family, client.consumerKey(), user.tenant(),
                            user.username(), granted, client.keyType(), refreshLifetime, token.jti(),
                            token.expiresAt());
                    return response(token, refresh, granted);
                });
    }

    /** Signs off the event loop: RS256 costs about a millisecond, and the key ring may read its table. */
    private Mono<IssuedToken> issue(OAuthClient client, String subject, List<String> granted, AuthorizedUserType aut,
                                    long lifetimeSeconds, KeyType keyType) {
        Duration requested = Duration.ofSeconds(lifetimeSeconds);
        Duration lifetime = requested.compareTo(maxTokenLifetime) > 0 ? maxTokenLifetime : requested;
        TokenRequest request = new TokenRequest(subject, client.consumerKey(), client.consumerKey(), granted, keyType,
                aut, client.kind() == Kind.APPLICATION ? client.application() : null, lifetime);
        return Mono.fromCallable(() -> issuer.apply(request)).subscribeOn(Schedulers.boundedElastic());
    }

    private static TokenResponse response(IssuedToken token, String refresh, List<String> granted) {
        return new TokenResponse(token.token(), refresh, String.join(" ", granted), "Bearer",
                Duration.between(token.issuedAt(), token.expiresAt()).toSeconds());
    }
}
