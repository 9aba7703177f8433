package dev.apim.query.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.platform.db.RedirectingJdbcTemplate;
import dev.apim.query.subscription.SubscriptionProjection;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay fast path ({@link ReplayFastPath}) on a real PostgreSQL: a processor that starts on a store that already
 * holds events replays them without a savepoint per event; a poison event among them fails its batch, the batch is
 * retried with savepoints, and the result is the live path's: the event and its aggregate's later events are
 * parked, every other event is applied exactly once.
 */
class ReplayFastPathTest {

    private static final String GROUP = ReplayFixture.GROUP;
    private static final String TENANT = "acme.com";
    private static final String POISON = "Poison";

    @Test
    void a_poison_event_met_while_replaying_is_parked_like_a_live_one_and_the_rest_is_applied() {
        ReplayFixture fixture = new ReplayFixture("replayfast");
        poisonEventIsParked(fixture, new JdbcTemplate(fixture.dataSource), false);
    }

    /**
     * The same with the node's template, whose writes are buffered while replaying and sent as JDBC batches before
     * the commit (WriteBehind): the poison event fails the whole batch's send, the batch is retried with savepoints
     * up to its last event, and the outcome is the same.
     */
    @Test
    void with_buffered_writes_a_poison_event_fails_the_batch_send_and_is_parked_like_a_live_one() {
        ReplayFixture fixture = new ReplayFixture("replayfastwb");
        poisonEventIsParked(fixture, new RedirectingJdbcTemplate(fixture.dataSource), true);
    }

    private void poisonEventIsParked(ReplayFixture fixture, JdbcTemplate jdbc, boolean buffered) {
        jdbc.execute("""
                CREATE FUNCTION apimgtdb.refuse_poison() RETURNS trigger AS $$
                BEGIN
                    IF NEW.throttling_policy = 'Poison' THEN
                        RAISE EXCEPTION 'policy Poison refused by the read model';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""");
        jdbc.execute("CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON apimgtdb.subscription "
                + "FOR EACH ROW EXECUTE FUNCTION apimgtdb.refuse_poison()");

        // the history, written before any processor runs: 150 subscriptions created then blocked, one poisoned
        List<String> healthy = new ArrayList<>();
        String poisoned = UUID.randomUUID().toString();
        List<GenericDomainEventMessage<?>> history = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String id = UUID.randomUUID().toString();
            healthy.add(id);
            history.add(event(id, 0, created(id)));
            if (i == 70) {
                history.add(event(poisoned, 0, created(poisoned)));
                history.add(event(poisoned, 1, new SubscriptionTierChanged(poisoned, "api-1", "app-1", POISON)));
            }
        }
        for (String id : healthy) {
            history.add(event(id, 1, new SubscriptionBlocked(id, TENANT, "api-1", "app-1", false)));
            if (id.equals(healthy.get(100))) {
                history.add(event(poisoned, 2, new SubscriptionBlocked(poisoned, TENANT, "api-1", "app-1", false)));
            }
        }
        fixture.append(history);
        long poisonIndex = jdbc.queryForObject("SELECT global_index FROM event_store.domain_event_entry "
                + "WHERE aggregate_identifier = ? AND sequence_number = 1", Long.class, poisoned);

        SavepointPerEvent savepoints = new SavepointPerEvent(Set.of(GROUP), fixture.transactions, fixture.dataSource);
        Configuration axon = fixture.startProcessor(savepoints,
                new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules()));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM apimgtdb.subscription WHERE status = 'BLOCKED'", Long.class) == 150);
            // the failure happened on the fast path (no savepoint), so the group fell back up to the poison event
            // (buffered: the failure came when the batch's writes were sent, so the fallback covers the whole batch)
            long fallback = ((ReplayFastPath) savepoints.replayBatchGuard(GROUP)).fallbackPosition();
            if (buffered) {
                assertThat(fallback).isGreaterThan(poisonIndex);
            } else {
                assertThat(fallback).isEqualTo(poisonIndex);
            }
            // every healthy event applied once, the poisoned aggregate as it was before its failing event
            assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.subscription WHERE aggregate_version = 1 "
                    + "AND throttling_policy = 'Gold'", Long.class)).isEqualTo(150);
            assertThat(jdbc.queryForMap("SELECT throttling_policy, status, aggregate_version FROM apimgtdb.subscription "
                    + "WHERE subscription_id = ?", poisoned)).containsEntry("throttling_policy", "Gold")
                    .containsEntry("status", "UNBLOCKED").containsEntry("aggregate_version", 0L);
            DeadLetterAdmin admin = new DeadLetterAdmin(jdbc, Set.of(GROUP),
                    axon.eventProcessingConfiguration()::sequencedDeadLetterProcessor);
            List<DeadLetterDto> letters = admin.list(TENANT, GROUP);
            assertThat(letters).extracting(DeadLetterDto::aggregateId).containsOnly(poisoned);
            assertThat(letters).extracting(DeadLetterDto::eventType).containsExactly(
                    SubscriptionTierChanged.class.getName(), SubscriptionBlocked.class.getName());
            assertThat(letters.get(0).cause()).contains("policy Poison refused by the read model");
            assertThat(letters.get(0).attempts()).isEqualTo(1);
        } finally {
            axon.shutdown();
        }
    }

    private static SubscriptionCreated created(String id) {
        return new SubscriptionCreated(id, TENANT, "api-1", "app-" + id, "Gold", SubscriptionStatus.UNBLOCKED, "alice");
    }

    private static GenericDomainEventMessage<?> event(String id, long seq, Object payload) {
        return new GenericDomainEventMessage<>("Subscription", id, seq, payload,
                MetaData.with("tenant", TENANT).and("principal", "admin"));
    }
}
