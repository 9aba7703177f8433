package dev.apim.command.keys;

import dev.apim.domain.keys.ApplicationKeys;
import dev.apim.domain.keys.OAuthClient;
import dev.apim.domain.keys.KeyMappingRegistry;
import dev.apim.domain.keys.TokenRevocations;
import dev.apim.eventstore.EventStoreConfiguration;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Key Manager's write wiring: the {@code ApplicationKeys}, {@code OAuthClient} (DCR management clients) and
 * {@code TokenRevocations} aggregates, the claim table of live key mappings and the lookups the REST side needs.
 */
@Configuration(proxyBeanMethods = false)
public class KeysCommandConfiguration {

    /** The claim table of live key mappings. */
    public static final String CLAIMS = EventStoreConfiguration.SCHEMA + ".application_keys_claim";

    @Bean
    public ConfigurerModule applicationKeysAggregate() {
        return configurer -> configurer.configureAggregate(ApplicationKeys.class);
    }

    /** DCR clients: registration is {@code CREATE_IF_MISSING} on an id derived from tenant, owner and name. */
    @Bean
    public ConfigurerModule oauthClientAggregate() {
        return configurer -> configurer.configureAggregate(OAuthClient.class);
    }

    /** Revoked tokens, one aggregate per consumer key, created by the first revocation. */
    @Bean
    public ConfigurerModule tokenRevocationsAggregate() {
        return configurer -> configurer.configureAggregate(TokenRevocations.class);
    }

    /** {@code event_store.application_keys_claim}: one live key mapping per application and key type. */
    @Bean
    public KeyMappingClaims keyMappingClaims(JdbcTemplate jdbc) {
        return new KeyMappingClaims(jdbc, CLAIMS);
    }

    @Bean
    public KeyMappingLookup keyMappingLookup(JdbcTemplate jdbc, KeyMappingClaims claims) {
        return new KeyMappingLookup(jdbc, claims);
    }
}
