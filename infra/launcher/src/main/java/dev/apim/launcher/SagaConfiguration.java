package dev.apim.launcher;

import dev.apim.sagas.SubscriptionApprovalSaga;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The sagas (they live in the Spring-free {@code sagas} module, so they are wired here): each in its own
 * tracking processor starting at the head of the stream, with its state in the JDBC saga store. Resources
 * marked {@code @jakarta.inject.Inject} (the command gateway) are injected by Axon's Spring resource injector.
 * {@code apim.workflows.approval-timeout} (a duration; unset = approvals never expire) becomes each new
 * workflow's deadline.
 */
@Configuration(proxyBeanMethods = false)
public class SagaConfiguration {

    public static final String APPROVAL_PROCESSOR = SubscriptionApprovalSaga.class.getSimpleName() + "Processor";

    @Bean
    public ConfigurerModule subscriptionApprovalSaga(SagaStore<Object> sagaStore,
                                                     @Value("${apim.workflows.approval-timeout:#{null}}") Duration timeout,
                                                     dev.apim.platform.config.ProcessingProperties processing) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("apim.workflows.approval-timeout must be positive when set");
        }
        SubscriptionApprovalSaga.approvalTimeout(timeout);
        return configurer -> configurer.eventProcessing()
                .registerTrackingEventProcessor(APPROVAL_PROCESSOR, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken)
                                .andTokenClaimInterval(processing.claimInterval().toMillis(),
                                        java.util.concurrent.TimeUnit.MILLISECONDS)
                                .andEventAvailabilityTimeout(processing.eventAvailabilityTimeout().toMillis(),
                                        java.util.concurrent.TimeUnit.MILLISECONDS))
                .registerSaga(SubscriptionApprovalSaga.class, saga -> saga.configureSagaStore(c -> sagaStore));
    }
}
