package dev.apim.bench.replay;

import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.testsupport.TestServices;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator: argument validation, a valid history, and the rows it writes into a real event store. */
class GenerateEventsTest {

    @Test
    void bad_arguments_are_refused_with_exit_code_2() {
        assertThat(GenerateEvents.run("--events", "0")).isEqualTo(2);
        assertThat(GenerateEvents.run("--events", "100000001")).isEqualTo(2);
        assertThat(GenerateEvents.run("--batch", "0")).isEqualTo(2);
        assertThat(GenerateEvents.run("--threads", "17")).isEqualTo(2);
        assertThat(GenerateEvents.run("--threads", "two")).isEqualTo(2);
        assertThat(GenerateEvents.run("--tenants", "0")).isEqualTo(2);
        assertThat(GenerateEvents.run("--jdbc-url", "jdbc:mysql://localhost/x")).isEqualTo(2);
        assertThat(GenerateEvents.run("--no-such-option")).isEqualTo(2);
    }

    @Test
    void the_history_has_consecutive_sequences_and_subscriptions_only_to_published_apis() {
        EventMix mix = new EventMix(0, 7, List.of("carbon.super", "tenant1.com"), Instant.parse("2026-01-01T00:00:00Z"));
        List<DomainEventMessage<?>> events = new ArrayList<>();
        mix.next(events, 50_000);
        Map<String, Long> next = new HashMap<>();
        Set<String> published = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (DomainEventMessage<?> e : events) {
            long expected = next.getOrDefault(e.getAggregateIdentifier(), 0L);
            assertThat(e.getSequenceNumber()).as(e.getAggregateIdentifier()).isEqualTo(expected);
            next.put(e.getAggregateIdentifier(), expected + 1);
            assertThat(e.getMetaData()).containsKeys("tenant", "principal", "clientIp", "correlationId", "causationId");
            types.add(e.getPayloadType().getSimpleName());
            if (e.getPayload() instanceof ApiLifecycleChanged changed) {
                if (changed.newState().name().equals("PUBLISHED")) {
                    published.add(changed.apiId());
                } else {
                    published.remove(changed.apiId());
                }
            }
            if (e.getPayload() instanceof SubscriptionCreated created) {
                assertThat(published).contains(created.apiId());
            }
        }
        assertThat(types).contains("ApiCreated", "ApiUpdated", "ApiLifecycleChanged", "ApiRevisionCreated",
                "ApiRevisionDeployed", "ApplicationCreated", "SubscriptionCreated", "ApplicationKeysGenerated",
                "UserRegistered", "ThrottlePolicyCreated", "BlockConditionCreated");
    }

    @Test
    void it_appends_exactly_the_requested_events_and_refuses_a_non_empty_store() {
        String url = TestServices.freshDatabase("replaygen");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        String base = url.substring(0, url.indexOf('?'));
        String user = ds.getUser() == null ? "postgres" : ds.getUser();
        String password = ds.getPassword() == null ? "" : ds.getPassword();
        String[] args = {"--jdbc-url", base, "--user", user, "--password", password, "--events", "3001",
                "--batch", "250", "--threads", "2"};
        assertThat(GenerateEvents.run(args)).isZero();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class)).isEqualTo(3001);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT type) FROM event_store.domain_event_entry", Long.class))
                .isGreaterThan(5);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry "
                + "WHERE payload_type LIKE '%SubscriptionBlocked' AND payload_revision <> '2'", Long.class)).isZero();
        // a second run would mix histories
        assertThat(GenerateEvents.run(args)).isEqualTo(3);
    }
}
