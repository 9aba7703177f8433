package dev.apim.query.oauth;

import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.oauth.OAuthClientStore;
import dev.apim.platform.oauth.TokenRevocationStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

import java.time.Duration;

/**
 * The Key Manager's read side: the projection into {@code apimgtdb.oauth_client} / {@code revoked_token} (on every
 * node, as every projection), the purge of expired revoked tokens every
 * {@code apim.oauth.revoked-token-purge-interval} (default 5m), and the R2DBC implementations of the
 * {@code platform.oauth} ports: the client store for Key Manager nodes, the revocation store for Key Manager and
 * gateway nodes.
 */
@Configuration(proxyBeanMethods = false)
public class OAuthQueryConfiguration {

    @Bean
    public OAuthClientProjection oauthClientProjection(JdbcTemplate jdbc) {
        return new OAuthClientProjection(jdbc);
    }

    @Bean
    public RevokedTokenPurge revokedTokenPurge(JdbcTemplate jdbc,
                                               @Value("${apim.oauth.revoked-token-purge-interval:5m}") Duration interval) {
        return new RevokedTokenPurge(jdbc, interval);
    }

    @Bean
    @ConditionalOnRole(Roles.KEYMANAGER)
    public OAuthClientStore oauthClientStore(DatabaseClient db) {
        return new R2dbcOAuthClientStore(db);
    }

    @Bean
    @ConditionalOnRole({Roles.KEYMANAGER, Roles.GATEWAY, Roles.PUBLISHER, Roles.DEVPORTAL})
    public TokenRevocationStore tokenRevocationStore(DatabaseClient db) {
        return new R2dbcTokenRevocationStore(db);
    }
}
