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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Mono;

import java.time.Clock;

/**
 * The Key Manager's OAuth2 side: client authentication, the grants, refresh tokens, revocation, and the bearer
 * authenticator that lets the management APIs accept this Key Manager's tokens.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.KEYMANAGER)
public class OAuthConfiguration {

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

    @Bean
    public RefreshTokenPurge refreshTokenPurge(RefreshTokenStore store) {
        return new RefreshTokenPurge(store);
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
