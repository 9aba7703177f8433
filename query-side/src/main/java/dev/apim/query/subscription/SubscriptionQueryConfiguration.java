package dev.apim.query.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The subscription and workflow read model. */
@Configuration(proxyBeanMethods = false)
public class SubscriptionQueryConfiguration {

    @Bean
    public SubscriptionProjection subscriptionProjection(JdbcTemplate jdbc) {
        return new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules());
    }
}
