package dev.apim.command.oauth.keys;

import dev.apim.platform.config.Roles;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.oauth.TokenRevocationStore;
import dev.apim.platform.security.BearerAuthenticator;
import dev.apim.platform.security.CredentialStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Set;

/**
 * Bearer tokens on the management APIs of a Publisher or Developer Portal node that does not run the Key Manager
 * (issue 7: one role per process). Such a node verifies the Key Manager's tokens against the published public keys
 * in {@code keymanager.signing_key} ({@link PublishedSigningKeys}) and the issuer the Key Manager signs with
 * ({@code apim.keymanager.issuer}, else the same default the Key Manager derives), and checks revocation and the
 * user exactly as a Key Manager node does ({@link BearerAuthenticator}). Nodes with the Key Manager role get the
 * authenticator from {@code OAuthConfiguration} instead.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ResourceServerConfiguration.ManagementWithoutKeyManager.class)
public class ResourceServerConfiguration {

    @Bean
    public BearerAuthenticator bearerAuthenticator(DataSource dataSource, KeyManagerProperties properties,
                                                   Environment environment, TokenRevocationStore revocations,
                                                   CredentialStore users, ObjectProvider<Clock> clock) {
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        String issuer = properties.issuer() != null ? properties.issuer()
                : KeyManagerKeysConfiguration.defaultIssuer(environment);
        JwtVerifier verifier = JwtVerifier.builder(issuer, new PublishedSigningKeys(dataSource, time)).clock(time)
                .build();
        return new BearerAuthenticator(verifier, revocations, users);
    }

    /** Roles include {@code publisher} or {@code devportal} but not {@code keymanager}. */
    static class ManagementWithoutKeyManager implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Set<String> roles = Roles.parse(context.getEnvironment().getProperty("apim.roles", Roles.ALL));
            return !roles.contains(Roles.KEYMANAGER)
                    && (roles.contains(Roles.PUBLISHER) || roles.contains(Roles.DEVPORTAL));
        }
    }
}
