package dev.apim.query.workflow;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The read side of approval workflows (the projection is {@code SubscriptionProjection}). */
@Configuration(proxyBeanMethods = false)
public class WorkflowQueryConfiguration {

    @Bean
    public WorkflowReadModel workflowReadModel(DatabaseClient db) {
        return new WorkflowReadModel(db);
    }
}
