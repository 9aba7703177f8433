package dev.apim.query.rebuild;

import dev.apim.query.deadletter.ReplayFixture;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.platform.db.RedirectingJdbcTemplate;
import dev.apim.query.subscription.SubscriptionProjection;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
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
        ReplayFixture fixture = new ReplayFixture("rebuildwb");
        var dataSource = fixture.dataSource;
        var tx = fixture.tx;
        RedirectingJdbcTemplate jdbc = new RedirectingJdbcTemplate(dataSource);

        List<GenericDomainEventMessage<?>> history = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = UUID.randomUUID().toString();
            // one subscription without a tenant: the read model's NOT NULL refuses it, but only when sent
            String tenant = i == 25 ? null : "acme.com";
            history.add(new GenericDomainEventMessage<>("Subscription", id, 0,
                    new SubscriptionCreated(id, tenant, "api-1", "app-" + i, "Gold", SubscriptionStatus.UNBLOCKED,
                            "alice"), MetaData.with("tenant", "acme.com")));
        }
        fixture.append(history);
        EmbeddedEventStore events = EmbeddedEventStore.builder().storageEngine(fixture.engine).build();
        var tokens = fixture.tokenStore();

        Supplier<RebuildTarget> target = () -> new SchemaRebuildTarget("apimgtdb",
                List.of(new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules())), dataSource, jdbc);
        ProjectionRebuilds rebuilds = new ProjectionRebuilds(Map.of("apimgtdb", target), dataSource, jdbc,
                new TransactionTemplate(fixture.transactions),
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
