package dev.apim.command.keys;

import dev.apim.domain.keys.ApplicationKeys;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The Key Manager's write wiring: the {@code ApplicationKeys} aggregate and the lookups its REST side needs. */
@Configuration(proxyBeanMethods = false)
public class KeysCommandConfiguration {

    @Bean
    public ConfigurerModule applicationKeysAggregate() {
        return configurer -> configurer.configureAggregate(ApplicationKeys.class);
    }

    @Bean
    public KeyMappingLookup keyMappingLookup(JdbcTemplate jdbc) {
        return new KeyMappingLookup(jdbc);
    }
}
