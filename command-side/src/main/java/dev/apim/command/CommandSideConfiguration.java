package dev.apim.command;

import dev.apim.command.policy.JdbcThrottlePolicyCatalog;
import dev.apim.command.publisher.ApiContextClaims;
import dev.apim.domain.policy.ThrottlePolicyCatalog;
import dev.apim.command.support.CommandDispatcher;
import dev.apim.command.support.CommandReceiptInterceptor;
import dev.apim.command.users.AdminBootstrap;
import dev.apim.domain.api.Api;
import dev.apim.domain.user.User;
import org.springframework.beans.factory.annotation.Value;
import dev.apim.command.subscription.ClaimedSubscriptionCheck;
import dev.apim.domain.api.ApiContextRegistry;
import dev.apim.domain.api.ApiSubscriptionCheck;
import dev.apim.domain.common.DomainError;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.consistency.ReadModelProgress;
import dev.apim.platform.web.ErrorBody;
import dev.apim.platform.web.ErrorResponses;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import dev.apim.command.support.ConcurrentWriteRetry;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Set;


/**
 * The write side's wiring: the {@code Api} aggregate (event-sourced, snapshotted every
 * {@value #SNAPSHOT_EVERY} events, no cache so nodes never hold stale aggregates), the constraint table,
 * command receipts, the dispatcher, and how Axon's failures read as WSO2 errors.
 */
@Configuration(proxyBeanMethods = false)
public class CommandSideConfiguration {

    static final int SNAPSHOT_EVERY = 100;

    static {
        ErrorResponses.register(CommandSideConfiguration::translate);
    }

    /** Lets Axon's Spring snapshotter rebuild {@code Api} aggregates for snapshots. */
    @Bean
    public AggregateFactory<Api> apiAggregateFactory(ApiContextRegistry registry, ApiSubscriptionCheck subscriptions) {
        return new GenericAggregateFactory<>(AnnotatedAggregateMetaModelFactory.inspectAggregate(Api.class,
                MultiParameterResolverFactory.ordered(ClasspathParameterResolverFactory.forClass(Api.class),
                        new SimpleResourceParameterResolverFactory(Set.of(registry, subscriptions)))));
    }

    @Bean
    public ApiSubscriptionCheck apiSubscriptionCheck(JdbcTemplate jdbc) {
        return new ClaimedSubscriptionCheck(jdbc, EventStoreConfiguration.SCHEMA + ".subscription_claim");
    }

    @Bean
    public ConfigurerModule aggregates() {
        return configurer -> configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Api.class)
                .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), SNAPSHOT_EVERY)));
    }

    @Bean
    public AdminBootstrap adminBootstrap(CommandGateway gateway, JdbcTemplate jdbc,
                                         ObjectProvider<ReadModelProgress> progress,
                                         @Value("${apim.admin.password:}") String password) {
        return new AdminBootstrap(gateway, jdbc, progress, password);
    }

    @Bean
    public ConfigurerModule userAggregate() {
        return configurer -> configurer.configureAggregate(User.class);
    }

    @Bean
    public ApiContextRegistry apiContextRegistry(JdbcTemplate jdbc) {
        return new ApiContextClaims(jdbc, EventStoreConfiguration.SCHEMA + ".api_context_claim");
    }

    @Bean
    public ThrottlePolicyCatalog throttlePolicyCatalog(JdbcTemplate jdbc) {
        return new JdbcThrottlePolicyCatalog(jdbc);
    }

    @Bean
    public CommandReceiptInterceptor commandReceiptInterceptor(JdbcTemplate jdbc) {
        return new CommandReceiptInterceptor(jdbc, EventStoreConfiguration.SCHEMA + ".domain_event_entry");
    }

    /** Axon registers the interceptor bean on the command bus itself; the event side is registered here. */
    @Bean
    public SmartInitializingSingleton registerCommandReceipts(EventStore eventStore,
                                                              CommandReceiptInterceptor interceptor) {
        return () -> eventStore.registerDispatchInterceptor(interceptor);
    }

    @Bean
    public CommandGateway commandGateway(CommandBus commandBus) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new ConcurrentWriteRetry(8, 10))
                .build();
    }

    @Bean
    public CommandDispatcher commandDispatcher(CommandGateway gateway, ObjectProvider<ReadModelProgress> progress,
                                               ApimProperties properties) {
        return new CommandDispatcher(gateway, progress, properties);
    }

    private static ErrorResponses.Response translate(Throwable e) {
        if (e instanceof ConflictingAggregateVersionException) {
            return new ErrorResponses.Response(HttpStatus.PRECONDITION_FAILED, ErrorBody.of(412,
                    "Precondition Failed", "The resource was changed since the ETag given in If-Match; "
                            + "read it again and retry"));
        }
        if (e instanceof AggregateNotFoundException notFound) {
            // Also covers AggregateDeletedException: a deleted API is gone.
            return new ErrorResponses.Response(HttpStatus.NOT_FOUND, ErrorBody.of(DomainError.API_NOT_FOUND.code(),
                    DomainError.API_NOT_FOUND.message(),
                    "Requested resource with id '" + notFound.getAggregateIdentifier() + "' not found"));
        }
        if (e instanceof ConcurrencyException) {
            return new ErrorResponses.Response(HttpStatus.CONFLICT, ErrorBody.of(409, "Conflict",
                    "The resource was changed concurrently; retry the request"));
        }
        return null;
    }
}
