package dev.apim.command.devportal;

import dev.apim.domain.application.Application;
import dev.apim.domain.application.ApplicationNameRegistry;
import dev.apim.eventstore.EventStoreConfiguration;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The Developer Portal's write wiring: the {@code Application} aggregate and its name claim table. */
@Configuration(proxyBeanMethods = false)
public class DevportalCommandConfiguration {

    @Bean
    public ConfigurerModule applicationAggregate() {
        return configurer -> configurer.configureAggregate(Application.class);
    }

    @Bean
    public ApplicationNameRegistry applicationNameRegistry(JdbcTemplate jdbc) {
        return new ApplicationNameClaims(jdbc, EventStoreConfiguration.SCHEMA + ".application_name_claim");
    }
}
