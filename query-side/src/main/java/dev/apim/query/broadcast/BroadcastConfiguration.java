package dev.apim.query.broadcast;

import dev.apim.platform.broadcast.BroadcastStream;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.function.Supplier;

/**
 * The Traffic Manager's broadcast processor: a tracking processor of its own ({@value BroadcastPublisher#PROCESSOR},
 * one segment so one node publishes, in order) that starts at the beginning of the event store (publishing is
 * idempotent, so a new or reset processor adds only what the stream lacks). Registered with Axon, not as a Spring
 * bean, so read-your-writes does not wait for it; handler failures propagate, so the processor retries the batch
 * instead of skipping a notification.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.TRAFFICMANAGER)
public class BroadcastConfiguration {

    @Bean
    public ConfigurerModule broadcastProcessor(BroadcastStream stream, JdbcTemplate jdbc,
                                               dev.apim.platform.config.ProcessingProperties claims) {
        Supplier<String> epoch = new EventStoreEpoch(jdbc);
        return configurer -> {
            var processing = configurer.eventProcessing();
            processing.registerTrackingEventProcessor(BroadcastPublisher.PROCESSOR, c -> c.eventStore(),
                    c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                            .andInitialSegmentsCount(1).andBatchSize(100)
                            .andTokenClaimInterval(claims.claimInterval().toMillis(),
                                    java.util.concurrent.TimeUnit.MILLISECONDS)
                            .andEventAvailabilityTimeout(claims.eventAvailabilityTimeout().toMillis(),
                                    java.util.concurrent.TimeUnit.MILLISECONDS));
            processing.registerListenerInvocationErrorHandler(BroadcastPublisher.PROCESSOR,
                    c -> PropagatingErrorHandler.instance());
            processing.registerEventHandler(c -> new BroadcastPublisher(stream, epoch, new StoredEventIndex(jdbc)));
        };
    }

    /** The broadcast stream as a rebuild target ({@code replay --projection broadcast}, Admin rebuild). */
    @Bean
    public BroadcastRebuildTarget broadcastRebuildTarget(org.redisson.api.RedissonClient redisson,
                                                         dev.apim.platform.broadcast.BroadcastProperties properties,
                                                         JdbcTemplate jdbc) {
        return new BroadcastRebuildTarget(redisson, properties, jdbc);
    }

    /** The identifier of the event store's first event, read once it exists. */
    static final class EventStoreEpoch implements Supplier<String> {
        private final JdbcTemplate jdbc;
        private volatile String value;

        EventStoreEpoch(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public String get() {
            String v = value;
            if (v == null) {
                List<String> first = jdbc.queryForList("SELECT event_identifier FROM event_store.domain_event_entry "
                        + "ORDER BY global_index LIMIT 1", String.class);
                v = first.isEmpty() ? null : first.get(0);
                value = v;
            }
            return v;
        }
    }

    /** Reads an event's global index from the event store by its identifier (unique, indexed). */
    static final class StoredEventIndex implements BroadcastPublisher.EventIndex {
        private final JdbcTemplate jdbc;

        StoredEventIndex(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public long of(org.axonframework.eventhandling.EventMessage<?> message,
                       org.axonframework.eventhandling.TrackingToken token) {
            List<Long> index = jdbc.queryForList("SELECT global_index FROM event_store.domain_event_entry "
                    + "WHERE event_identifier = ?", Long.class, message.getIdentifier());
            if (index.isEmpty()) {
                throw new IllegalStateException("Event " + message.getIdentifier() + " is not in the event store");
            }
            return index.get(0);
        }
    }
}
