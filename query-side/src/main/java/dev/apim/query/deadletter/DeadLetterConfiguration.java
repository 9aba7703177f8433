package dev.apim.query.deadletter;

import dev.apim.query.processing.ProcessingConfiguration;
import dev.apim.query.progress.TokenProgress;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.util.Set;

/**
 * A dead-letter queue for every projection processing group ({@code apimgtdb}, {@code shareddb}: the groups
 * read-your-writes tracks), a savepoint around each of their handlers so a failed one can be parked inside the
 * processor's transaction, and the Admin's access to the queues.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetterConfiguration {

    @Bean
    public ConfigurerModule projectionDeadLetterQueues(TokenProgress progress, DataSource dataSource,
                                                       SavepointPerEvent savepoints) {
        return configurer -> {
            DeadLetterQueues.register(configurer.eventProcessing(), progress.processors(), dataSource);
            for (String group : progress.processors()) {
                configurer.eventProcessing().registerHandlerInterceptor(group, c -> savepoints.replayBatchGuard(group));
            }
        };
    }

    /** Picked up by Axon's Spring support as a handler enhancer (see {@link SavepointPerEvent}). */
    @Bean
    public SavepointPerEvent savepointPerEvent(TokenProgress progress, PlatformTransactionManager transactions,
                                               DataSource dataSource,
                                               @Value("${apim.projections.replay-fast-path:true}") boolean fastReplay,
                                               @Value("${apim.projections.replay-write-behind:true}") boolean writeBehind) {
        // Write-behind only for the read models (SQL-only handlers), not for broadcast or process managers.
        return new SavepointPerEvent(progress.processors(), transactions, fastReplay ? dataSource : null,
                writeBehind ? Set.copyOf(ProcessingConfiguration.READ_MODELS) : Set.<String>of());
    }

    @Bean
    public DeadLetterAdmin deadLetterAdmin(JdbcTemplate jdbc, ObjectProvider<EventProcessingConfiguration> processing,
                                           TokenProgress progress) {
        return new DeadLetterAdmin(jdbc, progress.processors(),
                group -> processing.getObject().sequencedDeadLetterProcessor(group));
    }
}
