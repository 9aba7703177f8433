package dev.apim.command.process;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The stateless subscription process managers, each in its own tracking processor that starts at the head
 * of the stream (a new node does not re-run history). They are registered with Axon, not as Spring beans,
 * so read-your-writes waits only for the read models. The gateway is Axon's (the application's bean), taken
 * when the handlers are built, so this module does not depend on it at configuration time.
 */
@Configuration(proxyBeanMethods = false)
public class ProcessManagerConfiguration {

    @Bean
    public ConfigurerModule subscriptionProcessManagers(JdbcTemplate jdbc,
                                                        dev.apim.platform.config.ProcessingProperties claims) {
        return configurer -> {
            var processing = configurer.eventProcessing();
            for (String name : new String[] {ApplicationDeletionProcess.PROCESSOR, ApiRetirementProcess.PROCESSOR,
                    SecretRegenerationProcess.PROCESSOR}) {
                processing.registerTrackingEventProcessor(name, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken)
                                .andTokenClaimInterval(claims.claimInterval().toMillis(),
                                        java.util.concurrent.TimeUnit.MILLISECONDS)
                                .andEventAvailabilityTimeout(claims.eventAvailabilityTimeout().toMillis(),
                                        java.util.concurrent.TimeUnit.MILLISECONDS));
            }
            processing.registerEventHandler(c -> new ApplicationDeletionProcess(new SubscriptionCommands(c.commandGateway(), jdbc)));
            processing.registerEventHandler(c -> new ApiRetirementProcess(new SubscriptionCommands(c.commandGateway(), jdbc)));
            processing.registerEventHandler(c -> new SecretRegenerationProcess(
                    new SubscriptionCommands(c.commandGateway(), jdbc)));
        };
    }
}
