package dev.apim.command.oauth;

import dev.apim.command.oauth.keys.SigningKeys;
import dev.apim.command.support.CommandDispatcher;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.oauth.OAuthClientStore;
import dev.apim.platform.oauth.TokenRevocationStore;
import dev.apim.platform.security.BasicAuthenticator;
import dev.apim.platform.security.BearerAuthenticator;
import dev.apim.platform.security.CredentialStore;
import dev.apim.platform.security.LoginLockedException;
import dev.apim.platform.security.LoginThrottle;
import dev.apim.platform.security.RoleScopes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;

/**
 * The Key Manager's OAuth2 side: client authentication, the grants, refresh tokens, revocation, and the bearer
 * authenticator that lets the management APIs accept this Key Manager's tokens.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.KEYMANAGER)
public class OAuthConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OAuthConfiguration.class);

    /** Verifies this Key Manager's tokens: signature, {@code exp}/{@code nbf}, issuer. Revocation is checked apart. */
    @Bean
    public JwtVerifier keyManagerTokenVerifier(SigningKeys keys) {
        return keys.verifier().build();
    }

    @Bean
    public AttemptGuard attemptGuard(LoginThrottle throttle) {
        return new AttemptGuard() {
            @Override
            public Mono<Standing> standing(String key) {
                return throttle.checkAllowed(key).map(failures -> new Standing(0, failures))
                        .onErrorResume(LoginLockedException.class, e -> Mono.just(
                                new Standing(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000), 0)));
            }

            @Override
            public Mono<Void> failed(String key) {
                return throttle.recordFailure(key);
            }

            @Override
            public Mono<Void> succeeded(String key, Standing before) {
                return before.failures() > 0 ? throttle.reset(key) : Mono.empty();
            }
        };
    }

    @Bean
    public ClientAuthenticator clientAuthenticator(OAuthClientStore clients, AttemptGuard guard) {
        return new ClientAuthenticator(clients, guard);
    }

    @Bean
    public RefreshTokenStore refreshTokenStore(JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                               ObjectProvider<Clock> clock) {
        return new RefreshTokenStore(jdbc, new TransactionTemplate(transactions), clock.getIfAvailable(Clock::systemUTC));
    }

    /** Deletes refresh tokens an hour after they expired, every ten minutes. */
    @Bean(destroyMethod = "dispose")
    public Disposable refreshTokenPurge(RefreshTokenStore store) {
        return Flux.interval(Duration.ofMinutes(1), Duration.ofMinutes(10), Schedulers.boundedElastic())
                .subscribe(tick -> {
                    try {
                        int purged = store.purgeExpired(Duration.ofHours(1));
                        if (purged > 0) {
                            log.info("Purged {} expired refresh tokens", purged);
                        }
                    } catch (RuntimeException e) {
                        log.warn("Purging expired refresh tokens failed; will retry: {}", e.toString());
                    }
                });
    }

    @Bean
    public ScopePolicy scopePolicy() {
        RoleScopes roles = RoleScopes.defaults();
        return new ScopePolicy(roles::scopesOf, roles.known());
    }

    @Bean
    public TokenRevoker tokenRevoker(CommandDispatcher commands) {
        return new TokenRevoker(commands);
    }

    @Bean
    public TokenService tokenService(SigningKeys keys, CredentialStore users, AttemptGuard guard,
                                     RefreshTokenStore refreshTokens, ScopePolicy scopes, TokenRevoker revoker) {
        return new TokenService(keys::issue, keys.maxTokenLifetime(), users, guard, refreshTokens, scopes, revoker);
    }

    @Bean
    public ClientRegistrationController.DcrAuthenticator dcrAuthenticator(CredentialStore users,
                                                                          LoginThrottle throttle) {
        return new ClientRegistrationController.DcrAuthenticator(new BasicAuthenticator(users, throttle));
    }

    @Bean
    public BearerAuthenticator bearerAuthenticator(JwtVerifier keyManagerTokenVerifier,
                                                   TokenRevocationStore revocations, CredentialStore users) {
        return new BearerAuthenticator(keyManagerTokenVerifier, revocations, users);
    }
}
