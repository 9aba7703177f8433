package dev.apim.command.denypolicy;

import dev.apim.domain.blockcondition.BlockCondition;
import dev.apim.domain.blockcondition.BlockConditionRegistry;
import dev.apim.domain.blockcondition.BlockConditionTargets;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The write side of deny policies: the {@code BlockCondition} aggregate and its two ports. */
@Configuration(proxyBeanMethods = false)
public class DenyPolicyConfiguration {

    @Bean
    public ConfigurerModule blockConditionAggregate() {
        return configurer -> configurer.configureAggregate(BlockCondition.class);
    }

    @Bean
    public BlockConditionRegistry blockConditionRegistry(JdbcTemplate jdbc) {
        return new BlockConditionClaims(jdbc);
    }

    @Bean
    public BlockConditionTargets blockConditionTargets(JdbcTemplate jdbc) {
        return new BlockConditionTargetLookup(jdbc);
    }
}
