package dev.apim.launcher;

import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.eventstore.KnownSnapshots;
import dev.apim.eventstore.WakingEventStore;
import dev.apim.platform.db.ChangeSignals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;

import java.time.Duration;

/**
 * Wires commit signals into Axon: the node's event store is a {@link WakingEventStore} that reports each local
 * append to {@link ChangeSignals} (which NOTIFYs other nodes) and is woken when another node appended, so this
 * node's tracking processors see foreign events within milliseconds instead of at the fetch delay
 * ({@code apim.consistency.fetch-delay}, Axon's default 1 s, kept as the fallback). Replaces Axon's
 * auto-configured {@code EmbeddedEventStore} (same storage engine, monitor and span factory). It also skips Axon's
 * snapshot lookup for aggregates this node knows no snapshot of ({@link KnownSnapshots}).
 */
@Configuration(proxyBeanMethods = false)
public class ChangeSignalConfiguration {

    @Bean
    public EventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                 ChangeSignals signals, javax.sql.DataSource dataSource,
                                 @Value("${apim.consistency.fetch-delay:1s}") Duration fetchDelay) {
        if (fetchDelay.isNegative() || fetchDelay.isZero() || fetchDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("apim.consistency.fetch-delay must be between 1ms and 1m, was " + fetchDelay);
        }
        EmbeddedEventStore.Builder builder = EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(fetchDelay.toMillis());
        return new WakingEventStore(builder, () -> signals.committed(ChangeSignals.Kind.EVENTS),
                new KnownSnapshots(new org.springframework.jdbc.core.JdbcTemplate(dataSource),
                        EventStoreConfiguration.SCHEMA + ".snapshot_event_entry"));
    }

    /** Another node's events wake this node's producer. */
    @Bean(destroyMethod = "dispose")
    public Disposable remoteEventsWakeProducer(EventStore eventStore, ChangeSignals signals) {
        if (!(eventStore instanceof WakingEventStore waking)) {
            return () -> { };
        }
        return signals.remote().filter(kind -> kind == ChangeSignals.Kind.EVENTS).subscribe(kind -> waking.wake());
    }

    /** Health {@code changeSignals}: UP while the LISTEN connection is up, else DEGRADED (nodes fall back to polling). */
    @Bean("changeSignalsHealth")
    public HealthIndicator changeSignalsHealth(ChangeSignals signals,
                                               @Value("${apim.consistency.listen:true}") boolean listen) {
        return () -> {
            if (!listen) {
                return Health.up().withDetail("listen", false).build();
            }
            if (signals.listening()) {
                return Health.up().withDetail("received", signals.notificationsReceived())
                        .withDetail("sent", signals.notificationsSent()).build();
            }
            return Health.status("DEGRADED").withDetail("downSince", String.valueOf(signals.downSince()))
                    .withDetail("failures", signals.connectionFailures()).build();
        };
    }

    @Bean
    public MeterBinder changeSignalMetrics(ChangeSignals signals) {
        return registry -> {
            Gauge.builder("apim.signals.listening", signals, s -> s.listening() ? 1 : 0)
                    .description("1 while this node's LISTEN connection is up, 0 while it falls back to polling")
                    .register(registry);
            FunctionCounter.builder("apim.signals.received", signals, ChangeSignals::notificationsReceived)
                    .description("Change notifications received from other nodes").register(registry);
            FunctionCounter.builder("apim.signals.sent", signals, ChangeSignals::notificationsSent)
                    .description("Change notifications sent (coalesced, after commit)").register(registry);
            FunctionCounter.builder("apim.signals.failures", signals, ChangeSignals::connectionFailures)
                    .description("Failed LISTEN/NOTIFY connections or statements").register(registry);
        };
    }
}
