package dev.apim.command.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apim.platform.oauth.OAuthClientStore;
import dev.apim.platform.oauth.OAuthClientStore.OAuthClient;
import dev.apim.platform.security.Digests;
import dev.apim.platform.security.PasswordHashing;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Authenticates the OAuth2 client of a token, revocation or introspection request (RFC 6749 §2.3.1): either the
 * HTTP Basic header ({@code client_secret_basic}, id and secret form-url-encoded) or {@code client_id} and
 * {@code client_secret} in the body ({@code client_secret_post}) — never both. Public clients are not supported.
 * The slow hash runs off the event loop; a verified (key, secret, stored hash) triple is remembered briefly, so a
 * regenerated secret invalidates it at once. Failures count towards the client's lockout.
 */
public class ClientAuthenticator {

    static final String CLIENT_ID = "client_id";
    static final String CLIENT_SECRET = "client_secret";
    private static final String FAILED = "Client authentication failed";

    private final OAuthClientStore clients;
    private final AttemptGuard guard;
    private final Cache<String, Boolean> verified = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    public ClientAuthenticator(OAuthClientStore clients, AttemptGuard guard) {
        this.clients = clients;
        this.guard = guard;
    }

    public record Credentials(String clientId, String secret) {}

    /** The client's credentials from the request, checked for shape only. */
    static Credentials credentials(ServerWebExchange exchange, OAuth2Form form) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String bodyId = form.get(CLIENT_ID);
        String bodySecret = form.get(CLIENT_SECRET);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (bodySecret != null) {
                throw OAuth2Exception.invalidRequest("Use one client authentication method, not both");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuth2Exception.invalidClient("The Basic credentials are not valid Base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw OAuth2Exception.invalidClient("The Basic credentials must be client_id:client_secret");
            }
            String id = formDecode(decoded.substring(0, colon));
            String secret = formDecode(decoded.substring(colon + 1));
            if (bodyId != null && !bodyId.equals(id)) {
                throw OAuth2Exception.invalidRequest("client_id in the body differs from the authenticated client");
            }
            return new Credentials(id, secret);
        }
        if (header != null) {
            throw OAuth2Exception.invalidClient("Only Basic client authentication is accepted in the Authorization "
                    + "header");
        }
        if (bodyId == null) {
            throw OAuth2Exception.invalidClient("Client authentication is required");
        }
        if (bodySecret == null) {
            throw OAuth2Exception.invalidClient("Public clients are not supported: client_secret is required");
        }
        return new Credentials(bodyId, bodySecret);
    }

    private static String formDecode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuth2Exception.invalidClient("The Basic credentials are not form-url-encoded");
        }
    }

    /** The authenticated, active client; {@code invalid_client} otherwise. */
    public Mono<OAuthClient> authenticate(ServerWebExchange exchange, OAuth2Form form) {
        Credentials credentials;
        try {
            credentials = credentials(exchange, form);
        } catch (OAuth2Exception e) {
            return Mono.error(e);
        }
        return authenticate(credentials);
    }

    /** The client with these credentials when it is active and the secret matches; {@code invalid_client} else. */
    public Mono<OAuthClient> authenticate(Credentials credentials) {
        if (credentials.clientId().length() > 256 || credentials.secret().length() > 512) {
            return Mono.error(OAuth2Exception.invalidClient(FAILED));
        }
        String key = AttemptGuard.client(credentials.clientId());
        return guard.standing(key).flatMap(standing -> {
            if (standing.locked()) {
                return Mono.error(OAuth2Exception.temporarilyLocked("invalid_client", standing.lockedForSeconds()));
            }
            return clients.findByConsumerKey(credentials.clientId())
                    .filterWhen(client -> client.active() ? secretMatches(client, credentials.secret())
                            : Mono.just(false))
                    .flatMap(client -> guard.succeeded(key, standing).thenReturn(client))
                    .switchIfEmpty(Mono.defer(() -> guard.failed(key)
                            .then(Mono.error(OAuth2Exception.invalidClient(FAILED)))));
        });
    }

    private Mono<Boolean> secretMatches(OAuthClient client, String secret) {
        String cacheKey = Digests.sha256Hex(client.consumerKey() + '\u0000' + secret + '\u0000' + client.secretHash());
        if (verified.getIfPresent(cacheKey) != null) {
            return Mono.just(true);
        }
        return Mono.fromCallable(() -> PasswordHashing.matches(secret, client.secretHash()))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(ok -> {
                    if (ok) {
                        verified.put(cacheKey, true);
                    }
                });
    }
}
