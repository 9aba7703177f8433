package dev.apim.command.subscription;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.subscription.Subscription;
import dev.apim.domain.subscription.SubscriptionRegistry;
import dev.apim.domain.subscription.SubscriptionTargets;
import dev.apim.domain.subscription.TenantWorkflowSettings;
import dev.apim.eventstore.EventStoreConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The subscription slice's write wiring: the {@code Subscription} aggregate, its claim table and the facts about
 * APIs and applications it reads from their aggregates.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class SubscriptionCommandConfiguration {

    @Bean
    public ConfigurerModule subscriptionAggregate() {
        return configurer -> configurer.configureAggregate(Subscription.class);
    }

    @Bean
    public SubscriptionRegistry subscriptionRegistry(JdbcTemplate jdbc) {
        return new SubscriptionClaims(jdbc, EventStoreConfiguration.SCHEMA + ".subscription_claim");
    }

    @Bean
    public SubscriptionTargets subscriptionTargets(ObjectProvider<Configuration> axon) {
        return new AggregateSubscriptionTargets(axon);
    }

    /**
     * Tenants whose every subscription (and tier change) needs approval, whatever the tier:
     * {@code apim.workflows.subscription-approval-tenants}, comma-separated, {@code *} for all; default none.
     */
    @Bean
    public TenantWorkflowSettings tenantWorkflowSettings(
            @Value("${apim.workflows.subscription-approval-tenants:}") String tenants) {
        Set<String> names = Arrays.stream(tenants.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return tenant -> names.contains("*") || names.contains(tenant);
    }

    @Bean
    public SubscriptionAccess subscriptionAccess(JdbcTemplate jdbc) {
        return new SubscriptionAccess(jdbc);
    }

    /** Axon's "no such aggregate" (missing, deleted, or another aggregate's stream) reads as WSO2's 404. */
    static Throwable notFound(Throwable error, String subscriptionId) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AggregateNotFoundException || c instanceof IncompatibleAggregateException) {
                return notFoundError(subscriptionId);
            }
        }
        return error;
    }

    static DomainException notFoundError(String subscriptionId) {
        return DomainException.of(DomainError.SUBSCRIPTION_NOT_FOUND, "Subscription %s not found", subscriptionId);
    }
}
