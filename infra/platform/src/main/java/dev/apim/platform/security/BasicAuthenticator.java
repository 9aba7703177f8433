package dev.apim.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apim.domain.common.Tenants;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * HTTP Basic against the stored users. The slow hash runs off the event loop, and a successful check is
 * remembered for a few minutes (keyed by a digest of user, password and stored hash, so a password change
 * invalidates it) to keep scripted clients fast.
 */
public class BasicAuthenticator implements Authenticator {

    private final CredentialStore store;
    private final Cache<String, Boolean> verified = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).build();

    public BasicAuthenticator(CredentialStore store) {
        this.store = store;
    }

    @Override
    public Mono<Caller> authenticate(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Mono.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Mono.error(AuthenticationFailure.invalid());
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Mono.error(AuthenticationFailure.invalid());
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String tenant = Tenants.SUPER_TENANT;
        return store.find(tenant, username)
                .switchIfEmpty(Mono.error(AuthenticationFailure.invalid()))
                .flatMap(user -> {
                    if (user.locked()) {
                        return Mono.error(AuthenticationFailure.invalid());
                    }
                    String key = digest(username + '\u0000' + password + '\u0000' + user.passwordHash());
                    Mono<Boolean> check = verified.getIfPresent(key) != null ? Mono.just(true)
                            : Mono.fromCallable(() -> PasswordHashing.matches(password, user.passwordHash()))
                            .subscribeOn(Schedulers.boundedElastic())
                            .doOnNext(ok -> {
                                if (ok) {
                                    verified.put(key, true);
                                }
                            });
                    return check.flatMap(ok -> ok ? Mono.just(new Caller(user.username(), user.tenant(), user.roles()))
                            : Mono.error(AuthenticationFailure.invalid()));
                });
    }

    private static String digest(String value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
