package dev.apim.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apim.domain.common.Tenants;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * HTTP Basic against the stored users. The slow hash runs off the event loop, and a successful check is
 * remembered for a few minutes (keyed by a digest of user, password and stored hash, so a password change
 * invalidates it) to keep scripted clients fast.
 *
 * <p>Brute force is stopped by the {@link LoginThrottle} under the key {@code user:<tenant>/<username>}: a
 * locked key is refused (401, with {@code Retry-After}) before the password is even looked at, an unknown user
 * or a wrong password counts as a failure, and a success clears the failures seen. If Redis cannot be
 * reached the guard is skipped (fail open, counted and logged by the throttle): an unreachable cache must not
 * lock every operator out of the management plane.
 */
public class BasicAuthenticator implements Authenticator {

    /** Longer names are refused outright (they cannot be stored and would only bloat throttle keys). */
    static final int MAX_USERNAME_LENGTH = 255;

    private final CredentialStore store;
    private final LoginThrottle throttle;
    private final Cache<String, Boolean> verified = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).build();

    public BasicAuthenticator(CredentialStore store, LoginThrottle throttle) {
        this.store = store;
        this.throttle = throttle;
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
        if (colon <= 0 || colon > MAX_USERNAME_LENGTH) {
            return Mono.error(AuthenticationFailure.invalid());
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String tenant = Tenants.SUPER_TENANT;
        String throttleKey = "user:" + tenant + "/" + username;
        return admit(exchange, throttleKey)
                .flatMap(failures -> store.find(tenant, username)
                        .flatMap(user -> user.locked() ? Mono.<Caller>error(AuthenticationFailure.invalid())
                                : verify(user, username, password).flatMap(ok -> ok
                                ? succeeded(user, throttleKey, failures)
                                : failed(throttleKey)))
                        .switchIfEmpty(Mono.defer(() -> failed(throttleKey))));
    }

    /** The failures counted so far, or 401 when the key is locked; without Redis, lets the login proceed. */
    private Mono<Long> admit(ServerWebExchange exchange, String throttleKey) {
        return throttle.checkAllowed(throttleKey)
                .onErrorResume(e -> !(e instanceof LoginLockedException), e -> Mono.just(0L))
                .onErrorMap(LoginLockedException.class, locked -> {
                    long seconds = Math.max(1, (locked.retryAfter().toMillis() + 999) / 1000);
                    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                    return AuthenticationFailure.invalid();
                });
    }

    private Mono<Boolean> verify(CredentialStore.StoredUser user, String username, String password) {
        String key = Digests.sha256Hex(username + '\u0000' + password + '\u0000' + user.passwordHash());
        if (verified.getIfPresent(key) != null) {
            return Mono.just(true);
        }
        return Mono.fromCallable(() -> PasswordHashing.matches(password, user.passwordHash()))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(ok -> {
                    if (ok) {
                        verified.put(key, true);
                    }
                });
    }

    private Mono<Caller> succeeded(CredentialStore.StoredUser user, String throttleKey, long failures) {
        Caller caller = new Caller(user.username(), user.tenant(), user.roles());
        if (failures == 0) {
            return Mono.just(caller);
        }
        return throttle.reset(throttleKey).onErrorResume(e -> Mono.empty()).thenReturn(caller);
    }

    private Mono<Caller> failed(String throttleKey) {
        return throttle.recordFailure(throttleKey).onErrorResume(e -> Mono.empty())
                .then(Mono.error(AuthenticationFailure.invalid()));
    }
}
