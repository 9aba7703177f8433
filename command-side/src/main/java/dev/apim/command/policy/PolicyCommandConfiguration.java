package dev.apim.command.policy;

import dev.apim.domain.policy.ThrottlePolicy;
import dev.apim.domain.policy.ThrottlePolicyUsage;
import dev.apim.platform.consistency.ReadModelProgress;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The throttling policy slice's write side: the {@code ThrottlePolicy} aggregate (event-sourced, not
 * snapshotted: a policy has few events), its name claims, the in-use check and the default policies.
 */
@Configuration(proxyBeanMethods = false)
public class PolicyCommandConfiguration {

    @Bean
    public ConfigurerModule throttlePolicyAggregate() {
        return configurer -> configurer.configureAggregate(ThrottlePolicy.class);
    }

    @Bean
    public ThrottlePolicyClaims throttlePolicyRegistry(JdbcTemplate jdbc) {
        return new ThrottlePolicyClaims(jdbc);
    }

    @Bean
    public ThrottlePolicyUsage throttlePolicyUsage(JdbcTemplate jdbc) {
        return new ReadModelThrottlePolicyUsage(jdbc);
    }

    @Bean
    public ThrottlePolicyBootstrap throttlePolicyBootstrap(CommandGateway gateway, ThrottlePolicyClaims claims,
                                                           ObjectProvider<ReadModelProgress> progress) {
        return new ThrottlePolicyBootstrap(gateway, claims, progress);
    }
}
