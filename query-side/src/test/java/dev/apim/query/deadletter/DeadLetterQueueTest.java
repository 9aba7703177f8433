package dev.apim.query.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.domain.subscription.event.SubscriptionUnblocked;
import dev.apim.eventstore.EventSerialization;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.query.subscription.SubscriptionProjection;
import dev.apim.testsupport.TestServices;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.MetaData;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison events on a real PostgreSQL, through the production wiring ({@link DeadLetterQueues},
 * {@link SavepointPerEvent}) on a tracking processor over the JDBC event store: the real subscription projection
 * fails on an event (the read model refuses it: a trigger, the "cause", rejects the policy {@value #POISON}); the
 * event and the later events of its aggregate are parked, other aggregates' events keep flowing; a retry while
 * the cause is there counts an attempt, a retry after it is removed handles the parked events in order; a
 * discard removes a letter and its aggregate flows again.
 */
class DeadLetterQueueTest {

    private static final String GROUP = "apimgtdb";
    private static final String TENANT = "acme.com";
    private static final String POISON = "Poison";

    private static JdbcTemplate jdbc;
    private static Configuration axon;
    private static DeadLetterAdmin admin;

    @BeforeAll
    static void start() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("deadletter"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        JdbcTransactionManager transactions = new JdbcTransactionManager(dataSource);
        var tx = new SpringTransactionManager(transactions);
        var serializer = EventSerialization.serializer();
        var store = new EventStoreConfiguration();
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureTransactionManager(c -> tx)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> store.eventStorageEngine(dataSource, tx, serializer,
                        store.persistenceExceptionResolver(), List.of()))
                .registerHandlerEnhancerDefinition(c -> new SavepointPerEvent(Set.of(GROUP), transactions));
        configurer.eventProcessing()
                .registerTokenStore(GROUP, c -> store.tokenStore(dataSource, serializer, java.time.Duration.ofSeconds(10), ""))
                .registerTrackingEventProcessor(GROUP, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(100))
                .registerEventHandler(c -> new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules()));
        DeadLetterQueues.register(configurer.eventProcessing(), Set.of(GROUP), dataSource);
        axon = configurer.buildConfiguration();
        axon.start();
        admin = new DeadLetterAdmin(jdbc, Set.of(GROUP), axon.eventProcessingConfiguration()::sequencedDeadLetterProcessor);
    }

    @AfterAll
    static void stop() {
        if (axon != null) {
            axon.shutdown();
        }
    }

    @BeforeEach
    void theReadModelRefusesThePoisonPolicy() {
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION apimgtdb.refuse_poison() RETURNS trigger AS $$
                BEGIN
                    IF NEW.throttling_policy = 'Poison' THEN
                        RAISE EXCEPTION 'policy Poison refused by the read model';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""");
        jdbc.execute("DROP TRIGGER IF EXISTS refuse_poison ON apimgtdb.subscription");
        jdbc.execute("CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON apimgtdb.subscription "
                + "FOR EACH ROW EXECUTE FUNCTION apimgtdb.refuse_poison()");
    }

    private static void removeTheCause() {
        jdbc.execute("DROP TRIGGER refuse_poison ON apimgtdb.subscription");
    }

    private static void publish(String subscriptionId, long seq, Object event) {
        axon.eventStore().publish(new GenericDomainEventMessage<>("Subscription", subscriptionId, seq, event,
                MetaData.with("tenant", TENANT).and("principal", "admin")));
    }

    private static void create(String id) {
        publish(id, 0, new SubscriptionCreated(id, TENANT, "api-1", "app-1", "Gold", SubscriptionStatus.UNBLOCKED, "alice"));
    }

    private static Map<String, Object> row(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT throttling_policy, status, aggregate_version "
                + "FROM apimgtdb.subscription WHERE subscription_id = ?", id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static void awaitRow(String id, String policy, String status) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(row(id))
                .isNotNull().containsEntry("throttling_policy", policy).containsEntry("status", status));
    }

    private static List<DeadLetterDto> lettersOf(String id) {
        return admin.list(TENANT, GROUP).stream().filter(l -> id.equals(l.aggregateId())).toList();
    }

    @Test
    void a_poison_event_is_parked_with_its_aggregates_later_events_while_the_processor_goes_on() {
        String poisoned = UUID.randomUUID().toString();
        String healthy = UUID.randomUUID().toString();
        create(poisoned);
        publish(poisoned, 1, new SubscriptionTierChanged(poisoned, "api-1", "app-1", POISON));
        publish(poisoned, 2, new SubscriptionBlocked(poisoned, TENANT, "api-1", "app-1", false));
        create(healthy);
        publish(healthy, 1, new SubscriptionBlocked(healthy, TENANT, "api-1", "app-1", true));

        // the processor went past the poison event: a later aggregate's events are in the read model
        awaitRow(healthy, "Gold", "PROD_ONLY_BLOCKED");
        // the poisoned aggregate stays as it was before the failing event (its partial write rolled back)
        assertThat(row(poisoned)).containsEntry("throttling_policy", "Gold").containsEntry("status", "UNBLOCKED")
                .containsEntry("aggregate_version", 0L);

        List<DeadLetterDto> letters = lettersOf(poisoned);
        assertThat(letters).extracting(DeadLetterDto::eventType).containsExactly(
                SubscriptionTierChanged.class.getName(), SubscriptionBlocked.class.getName());
        DeadLetterDto poison = letters.get(0);
        assertThat(poison.processingGroup()).isEqualTo(GROUP);
        assertThat(poison.sequenceId()).isEqualTo(poisoned);
        assertThat(poison.cause()).contains("policy Poison refused by the read model");
        assertThat(poison.attempts()).isEqualTo(1);
        assertThat(poison.enqueuedAt()).isNotBlank();
        assertThat(poison.globalIndex()).isEqualTo(jdbc.queryForObject("SELECT global_index FROM "
                + "event_store.domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 1", Long.class, poisoned));
        // the parked follower did not fail itself: it waits behind the poison event
        assertThat(letters.get(1).cause()).isNull();
        assertThat(admin.list("other.com", GROUP)).isEmpty();
        assertThat(admin.list(TENANT, null)).extracting(DeadLetterDto::id).contains(poison.id());

        // a retry while the cause is still there fails again and counts the attempt
        DeadLetterRetryDto failed = admin.retry(TENANT, poison.id()).orElseThrow();
        assertThat(failed.resolved()).isFalse();
        assertThat(failed.deadLetter().attempts()).isEqualTo(2);
        assertThat(lettersOf(poisoned)).hasSize(2);
        assertThat(row(poisoned)).containsEntry("throttling_policy", "Gold");

        // another tenant cannot retry it
        assertThat(admin.retry("other.com", poison.id())).isEmpty();

        removeTheCause();
        DeadLetterRetryDto resolved = admin.retry(TENANT, poison.id()).orElseThrow();
        assertThat(resolved.resolved()).isTrue();
        assertThat(resolved.deadLetter()).isNull();
        // both parked events were handled, in order, and the read model caught up
        assertThat(lettersOf(poisoned)).isEmpty();
        assertThat(row(poisoned)).containsEntry("throttling_policy", POISON).containsEntry("status", "BLOCKED")
                .containsEntry("aggregate_version", 2L);

        // the aggregate is no longer parked: its next event is handled by the processor
        publish(poisoned, 3, new SubscriptionUnblocked(poisoned, "api-1", "app-1"));
        awaitRow(poisoned, POISON, "UNBLOCKED");
        assertThat(lettersOf(poisoned)).isEmpty();
    }

    @Test
    void a_discarded_letter_is_gone_and_its_aggregate_flows_again() {
        String poisoned = UUID.randomUUID().toString();
        create(poisoned);
        publish(poisoned, 1, new SubscriptionTierChanged(poisoned, "api-1", "app-1", POISON));
        await().atMost(Duration.ofSeconds(20)).until(() -> lettersOf(poisoned).size() == 1);
        String id = lettersOf(poisoned).get(0).id();

        assertThat(admin.discard("other.com", id)).isFalse();
        assertThat(admin.discard(TENANT, id)).isTrue();
        assertThat(admin.discard(TENANT, id)).isFalse();
        assertThat(admin.find(TENANT, id)).isEmpty();
        assertThat(admin.retry(TENANT, id)).isEmpty();

        publish(poisoned, 2, new SubscriptionBlocked(poisoned, TENANT, "api-1", "app-1", false));
        awaitRow(poisoned, "Gold", "BLOCKED");
        assertThat(lettersOf(poisoned)).isEmpty();
    }
}
