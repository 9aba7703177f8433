package dev.apim.query.application;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/** The Developer Portal's application read model: its projection into {@code apimgtdb} and its reader. */
@Configuration(proxyBeanMethods = false)
public class ApplicationQueryConfiguration {

    static ObjectMapper json() {
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    public ApplicationProjection applicationProjection(JdbcTemplate jdbc) {
        return new ApplicationProjection(jdbc, json());
    }

    @Bean
    public ApplicationReadModel applicationReadModel(DatabaseClient db) {
        return new ApplicationReadModel(db, json());
    }
}
