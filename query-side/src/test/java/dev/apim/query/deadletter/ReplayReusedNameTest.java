package dev.apim.query.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.policy.ThrottleLimit;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.domain.policy.event.ThrottlePolicyCreated;
import dev.apim.domain.policy.event.ThrottlePolicyDeleted;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.platform.db.RedirectingJdbcTemplate;
import dev.apim.query.keys.ApplicationKeysProjection;
import dev.apim.query.policy.ThrottlePolicyProjection;
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
 * Replaying with buffered writes (write-behind) must not reorder a claim of a unique value before the write that
 * freed it: a throttling policy deleted and another created with the same name, in one replayed batch, replays
 * without a unique-key failure or a dead letter and ends as the live path left it.
 */
class ReplayReusedNameTest {

    private static final String GROUP = ReplayFixture.GROUP;
    private static final String TENANT = "acme.com";

    @Test
    void handlers_that_free_a_unique_value_are_barriers() {
        assertThat(BufferedBatchWrites.acrossAggregates(List.of(
                new ThrottlePolicyProjection(null, new ObjectMapper()),
                new ApplicationKeysProjection(null))))
                .contains(ThrottlePolicyDeleted.class, ApplicationKeysRemoved.class);
    }

    @Test
    void a_policy_name_freed_and_claimed_again_in_one_batch_replays_as_it_was_written() {
        ReplayFixture fixture = new ReplayFixture("replayreuse");
        JdbcTemplate jdbc = new RedirectingJdbcTemplate(fixture.dataSource);

        // Other policies first, so the insert statement is seen (and its write-behind group opened) before the
        // delete; then "Reused" is created, deleted and created again by another policy, all within one batch.
        List<GenericDomainEventMessage<?>> history = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = UUID.randomUUID().toString();
            history.add(event(id, 0, new ThrottlePolicyCreated(id, TENANT, Level.SUBSCRIPTION, definition("P" + i))));
        }
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        history.add(event(first, 0, new ThrottlePolicyCreated(first, TENANT, Level.SUBSCRIPTION, definition("Reused"))));
        history.add(event(first, 1, new ThrottlePolicyDeleted(first, TENANT, Level.SUBSCRIPTION, "Reused")));
        history.add(event(second, 0, new ThrottlePolicyCreated(second, TENANT, Level.SUBSCRIPTION, definition("Reused"))));
        fixture.append(history);

        SavepointPerEvent savepoints = new SavepointPerEvent(Set.of(GROUP), fixture.transactions, fixture.dataSource);
        Configuration axon = fixture.startProcessor(savepoints,
                new ThrottlePolicyProjection(jdbc, new ObjectMapper().findAndRegisterModules()));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM apimgtdb.throttle_policy", Long.class) == 21);
            assertThat(jdbc.queryForObject("SELECT policy_id FROM apimgtdb.throttle_policy WHERE name = 'Reused'",
                    String.class)).isEqualTo(second);
            assertThat(((ReplayFastPath) savepoints.replayBatchGuard(GROUP)).fallbackPosition())
                    .as("the batch's buffered send did not fail").isNegative();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.dead_letter_entry", Long.class)).isZero();
        } finally {
            axon.shutdown();
        }
    }

    private static ThrottlePolicyDefinition definition(String name) {
        return new ThrottlePolicyDefinition(name, name, "d", ThrottleLimit.requests(5000, 1, "min"), 0, null,
                false, null, List.of(), false, List.of());
    }

    private static GenericDomainEventMessage<?> event(String id, long seq, Object payload) {
        return new GenericDomainEventMessage<>("ThrottlePolicy", id, seq, payload,
                MetaData.with("tenant", TENANT).and("principal", "admin"));
    }
}
