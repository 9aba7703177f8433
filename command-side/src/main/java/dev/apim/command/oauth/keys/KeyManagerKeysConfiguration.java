package dev.apim.command.oauth.keys;

import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.jwt.KeyEncryption;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;

/**
 * The Key Manager's signing keys ({@link SigningKeys}), loaded (and created on a first start) before the node
 * serves anything: a master key that cannot open the stored keys refuses the start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.KEYMANAGER)
public class KeyManagerKeysConfiguration {

    @Bean
    public SigningKeys signingKeys(DataSource dataSource, KeyManagerProperties properties, ApimProperties apim,
                                   Environment environment, ObjectProvider<Clock> clock) {
        String issuer = properties.issuer() != null ? properties.issuer() : defaultIssuer(environment);
        String masterKey = MasterKeyFile.resolve(properties.masterKey(), apim.dataDir());
        SigningKeys keys = new SigningKeys(dataSource, issuer, new KeyEncryption(masterKey), properties,
                clock.getIfAvailable(Clock::systemUTC));
        keys.synchronize();
        return keys;
    }

    /**
     * {@code https://<first apim.management.hostnames>:<apim.management.port>/oauth2/token} (http when the
     * management listener has no TLS), as WSO2 names its issuer after the token endpoint.
     */
    static String defaultIssuer(Environment environment) {
        boolean tls = environment.getProperty("apim.management.tls", Boolean.class, true);
        int port = environment.getProperty("apim.management.port", Integer.class, 9443);
        List<String> hostnames = Binder.get(environment)
                .bind("apim.management.hostnames", Bindable.listOf(String.class)).orElse(List.of());
        String host = hostnames.isEmpty() || hostnames.get(0).isBlank() ? "localhost" : hostnames.get(0).trim();
        if (port <= 0) {
            throw new IllegalArgumentException("apim.keymanager.issuer must be configured when apim.management.port is "
                    + port + " (no fixed port to name the issuer after), e.g. https://km.example.com/oauth2/token");
        }
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return KeyManagerProperties.checkIssuer((tls ? "https" : "http") + "://" + authority + ":" + port
                + "/oauth2/token");
    }
}
