package dev.apim.query.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.eventstore.EventSerialization;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.eventstore.upcasting.SubscriptionBlockedTenantUpcaster;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.testsupport.TestServices;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema evolution on a real PostgreSQL: a {@link SubscriptionBlocked} stored in its first form (no tenant, no
 * revision, as written before revision 2) is read through the upcaster chain as the current record and replayed
 * into the subscription read model; a new one is stored as revision 2.
 */
class SubscriptionBlockedRevisionTest {

    private static final String OLD_BLOCKED = "{\"subscriptionId\":\"%s\",\"apiId\":\"api-1\",\"applicationId\":\"app-1\","
            + "\"productionOnly\":true}";
    private static final String CREATED = "{\"subscriptionId\":\"%s\",\"tenant\":\"acme.com\",\"apiId\":\"api-1\","
            + "\"applicationId\":\"app-1\",\"throttlingPolicy\":\"Gold\",\"status\":\"UNBLOCKED\",\"subscriber\":\"alice\"}";

    private static JdbcTemplate jdbc;
    private static EventStorageEngine engine;
    private static AnnotationEventHandlerAdapter projection;

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("upcasting"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        var config = new EventStoreConfiguration();
        engine = config.eventStorageEngine(dataSource, NoTransactionManager.INSTANCE, EventSerialization.serializer(),
                config.persistenceExceptionResolver(), List.of(new SubscriptionBlockedTenantUpcaster()));
        projection = new AnnotationEventHandlerAdapter(
                new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules()));
    }

    /** A row exactly as the code before revision 2 wrote it: no payload revision, the tenant only in the metadata. */
    private static void storeOld(String id, long seq, String payloadType, String payload, String metaData) {
        jdbc.update("""
                INSERT INTO event_store.domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                    time_stamp, payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, ?, 'Subscription', ?, ?, NULL, ?, ?)""",
                UUID.randomUUID().toString(), id, seq, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq).toString(),
                payloadType, payload.formatted(id), metaData);
    }

    private static String storeOldSubscription(String metaData) {
        String id = UUID.randomUUID().toString();
        storeOld(id, 0, "dev.apim.domain.subscription.event.SubscriptionCreated", CREATED, metaData);
        storeOld(id, 1, SubscriptionBlocked.class.getName(), OLD_BLOCKED, metaData);
        return id;
    }

    private static List<? extends DomainEventMessage<?>> read(String id) {
        return engine.readEvents(id).asStream().toList();
    }

    @Test
    void the_old_form_reads_as_the_current_record_with_the_tenant_from_its_metadata() {
        String id = storeOldSubscription("{\"tenant\":\"acme.com\",\"principal\":\"admin\"}");

        List<? extends DomainEventMessage<?>> events = read(id);

        assertThat(events).hasSize(2);
        assertThat(events.get(1).getPayload()).isEqualTo(new SubscriptionBlocked(id, "acme.com", "api-1", "app-1", true));
        assertThat(events.get(1).getSequenceNumber()).isEqualTo(1);
        assertThat(events.get(1).getMetaData()).containsEntry("principal", "admin");
        // the stored row is not rewritten
        assertThat(jdbc.queryForObject("SELECT payload_revision IS NULL AND payload NOT LIKE '%tenant%' FROM "
                + "event_store.domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 1",
                Boolean.class, id)).isTrue();
    }

    @Test
    void an_old_event_without_a_tenant_in_its_metadata_reads_with_a_null_tenant() {
        String id = storeOldSubscription("{}");

        assertThat(read(id).get(1).getPayload()).isEqualTo(new SubscriptionBlocked(id, null, "api-1", "app-1", true));
    }

    @Test
    void replaying_the_old_form_builds_the_current_read_model() throws Exception {
        String id = storeOldSubscription("{\"tenant\":\"acme.com\"}");

        for (DomainEventMessage<?> event : read(id)) {
            projection.handle(event);
        }

        Map<String, Object> row = jdbc.queryForMap("SELECT tenant, status, throttling_policy, aggregate_version "
                + "FROM apimgtdb.subscription WHERE subscription_id = ?", id);
        assertThat(row).containsEntry("tenant", "acme.com").containsEntry("status", "PROD_ONLY_BLOCKED")
                .containsEntry("throttling_policy", "Gold").containsEntry("aggregate_version", 1L);
    }

    @Test
    void a_new_event_is_stored_as_revision_2_with_its_tenant_and_reads_back_unchanged() {
        String id = UUID.randomUUID().toString();
        SubscriptionBlocked blocked = new SubscriptionBlocked(id, "acme.com", "api-1", "app-1", false);
        engine.appendEvents(new GenericDomainEventMessage<>("Subscription", id, 0, blocked,
                MetaData.with("tenant", "other.com")));

        Map<String, Object> row = jdbc.queryForMap("SELECT payload_revision, payload::jsonb ->> 'tenant' AS tenant "
                + "FROM event_store.domain_event_entry WHERE aggregate_identifier = ?", id);
        assertThat(row).containsEntry("payload_revision", "2").containsEntry("tenant", "acme.com");
        assertThat(read(id).get(0).getPayload()).isEqualTo(blocked);
    }
}
