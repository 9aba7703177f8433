package dev.apim.command.workflow;

import dev.apim.domain.workflow.Workflow;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * Approval workflows' write side: the {@code Workflow} aggregate (event-sourced, few events, not snapshotted)
 * and the sweeper that rejects workflows past their deadline every {@code apim.workflows.sweep-interval}.
 */
@Configuration(proxyBeanMethods = false)
public class WorkflowCommandConfiguration {

    @Bean
    public ConfigurerModule workflowAggregate() {
        return configurer -> configurer.configureAggregate(Workflow.class);
    }

    @Bean
    public WorkflowDeadlineSweeper workflowDeadlineSweeper(CommandGateway gateway, JdbcTemplate jdbc,
                                                           @Value("${apim.workflows.sweep-interval:30s}") Duration interval) {
        return new WorkflowDeadlineSweeper(gateway, jdbc, interval);
    }
}
