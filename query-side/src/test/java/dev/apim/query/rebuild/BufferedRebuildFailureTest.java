package dev.apim.query.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.eventstore.EventSerialization;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.platform.db.RedirectingJdbcTemplate;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.query.subscription.SubscriptionProjection;
import dev.apim.testsupport.TestServices;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuild buffers its batches' writes (WriteBehind) and sends them before each commit; a write that fails when
 * the batch is sent fails the rebuild (as a failing handler does): status FAILED with the cause, the shadow dropped,
 * the live schema untouched.
 */
class BufferedRebuildFailureTest {

    @Test
    void aWriteFailingWhenTheBatchIsSentFailsTheRebuildAndDropsTheShadow() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("rebuildwb"));
        SchemaMigrations.migrate(dataSource);
        RedirectingJdbcTemplate jdbc = new RedirectingJdbcTemplate(dataSource);
        JdbcTransactionManager transactions = new JdbcTransactionManager(dataSource);
        var tx = new SpringTransactionManager(transactions);
        var serializer = EventSerialization.serializer();
        var store = new EventStoreConfiguration();
        var engine = store.eventStorageEngine(dataSource, tx, serializer, store.persistenceExceptionResolver(), List.of());

        List<GenericDomainEventMessage<?>> history = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = UUID.randomUUID().toString();
            // one subscription without a tenant: the read model's NOT NULL refuses it, but only when sent
            String tenant = i == 25 ? null : "acme.com";
            history.add(new GenericDomainEventMessage<>("Subscription", id, 0,
                    new SubscriptionCreated(id, tenant, "api-1", "app-" + i, "Gold", SubscriptionStatus.UNBLOCKED,
                            "alice"), MetaData.with("tenant", "acme.com")));
        }
        tx.executeInTransaction(() -> engine.appendEvents(history));
        EmbeddedEventStore events = EmbeddedEventStore.builder().storageEngine(engine).build();
        var tokens = store.tokenStore(dataSource, serializer, Duration.ofSeconds(10), "");

        Supplier<RebuildTarget> target = () -> new SchemaRebuildTarget("apimgtdb",
                List.of(new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules())), dataSource, jdbc);
        ProjectionRebuilds rebuilds = new ProjectionRebuilds(Map.of("apimgtdb", target), dataSource, jdbc,
                new TransactionTemplate(transactions),
                new ProjectionRebuilds.Axon(() -> events, () -> tokens, () -> tx, () -> null), 500, null);
        try {
            rebuilds.start("apimgtdb");
            RebuildStatus status = rebuilds.await("apimgtdb", Duration.ofSeconds(60));
            assertThat(status.state()).isEqualTo("FAILED");
            assertThat(status.message()).contains("tenant");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.schemata "
                    + "WHERE schema_name = 'apimgtdb_rebuild'", Long.class)).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.subscription", Long.class)).isZero();
        } finally {
            rebuilds.destroy();
            events.shutDown();
        }
    }
}
