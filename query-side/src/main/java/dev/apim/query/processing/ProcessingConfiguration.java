package dev.apim.query.processing;

import dev.apim.platform.config.ProcessingProperties;
import dev.apim.platform.db.DatabaseEndpoint;
import dev.apim.query.publisher.ApiProjection;
import dev.apim.query.users.UserProjection;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.beans.factory.ObjectProvider;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The read-model processors ({@value ApiProjection#PROCESSOR}, {@value UserProjection#PROCESSOR}) as tracking
 * processors split into {@code apim.processing.segments} segments, one thread per segment on each node (so a node
 * left alone processes them all), claims extended well inside {@code claim-timeout} and free segments tried every
 * {@code claim-interval}; and the balancer that hands a new node its share. Every node runs them whatever its
 * roles: the projections are idempotent and claims make sure each segment runs on exactly one node at a time.
 */
@Configuration(proxyBeanMethods = false)
public class ProcessingConfiguration {

    /** The processors whose segments are shared between nodes. */
    public static final List<String> READ_MODELS = List.of(ApiProjection.PROCESSOR, UserProjection.PROCESSOR);

    @Bean
    public ConfigurerModule readModelProcessors(ProcessingProperties properties,
                                                @Value("${apim.processing.batch-size:100}") int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("apim.processing.batch-size must be between 1 and 10000, not " + batchSize);
        }
        return configurer -> {
            for (String name : READ_MODELS) {
                configurer.eventProcessing().registerTrackingEventProcessor(name, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forParallelProcessing(properties.effectiveThreads())
                                .andInitialSegmentsCount(properties.segments())
                                .andBatchSize(batchSize)
                                .andTokenClaimInterval(properties.claimInterval().toMillis(), TimeUnit.MILLISECONDS)
                                .andEventAvailabilityTimeout(properties.eventAvailabilityTimeout().toMillis(),
                                        TimeUnit.MILLISECONDS));
            }
        };
    }

    @Bean(destroyMethod = "")
    public SegmentBalancer segmentBalancer(ProcessingProperties properties, ObjectProvider<EventProcessingConfiguration> processing,
                                           ObjectProvider<TokenStore> tokenStore, RedissonClient redisson,
                                           DatabaseEndpoint database) {
        String nodesKey = "apim:processing:{" + database.host() + ":" + database.port() + "/" + database.database()
                + "}:nodes";
        return new SegmentBalancer(properties, processing, tokenStore, redisson, nodesKey, READ_MODELS);
    }
}
