package dev.apim.query.keys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The key mappings' read model: its projection into {@code apimgtdb}. */
@Configuration(proxyBeanMethods = false)
public class ApplicationKeysQueryConfiguration {

    @Bean
    public ApplicationKeysProjection applicationKeysProjection(JdbcTemplate jdbc) {
        return new ApplicationKeysProjection(jdbc);
    }
}
