package dev.apim.query.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/** The subscription and workflow read model. */
@Configuration(proxyBeanMethods = false)
public class SubscriptionQueryConfiguration {

    @Bean
    public SubscriptionProjection subscriptionProjection(JdbcTemplate jdbc) {
        return new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules());
    }

    @Bean
    public SubscriptionReadModel subscriptionReadModel(DatabaseClient db) {
        return new SubscriptionReadModel(db);
    }
}
