package dev.apim.query.devportal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/** The Developer Portal's discovery read model: the projection into {@code shareddb} and its R2DBC reader. */
@Configuration(proxyBeanMethods = false)
public class DevportalQueryConfiguration {

    @Bean
    public ApiSearchProjection apiSearchProjection(JdbcTemplate jdbc) {
        return new ApiSearchProjection(jdbc);
    }

    @Bean
    public ApiSearchReadModel apiSearchReadModel(DatabaseClient db) {
        return new ApiSearchReadModel(db);
    }
}
