package dev.apim.query.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/** The throttling policy slice's read side: its projection into {@code apimgtdb} and its R2DBC reader. */
@Configuration(proxyBeanMethods = false)
public class PolicyQueryConfiguration {

    /** Jackson 2 for the JSON column, tolerant of fields a later event version adds. */
    static ObjectMapper policyJson() {
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    public ThrottlePolicyProjection throttlePolicyProjection(JdbcTemplate jdbc) {
        return new ThrottlePolicyProjection(jdbc, policyJson());
    }

    @Bean
    public ThrottlePolicyReadModel throttlePolicyReadModel(DatabaseClient db) {
        return new ThrottlePolicyReadModel(db, policyJson());
    }
}
