package dev.apim.query.denypolicy;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/** The read side of deny policies: the projection into {@code apimgtdb} and its R2DBC reader. */
@Configuration(proxyBeanMethods = false)
public class DenyPolicyQueryConfiguration {

    @Bean
    public BlockConditionProjection blockConditionProjection(JdbcTemplate jdbc) {
        return new BlockConditionProjection(jdbc);
    }

    @Bean
    public DenyPolicyReadModel denyPolicyReadModel(DatabaseClient db) {
        return new DenyPolicyReadModel(db);
    }
}
