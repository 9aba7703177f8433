package dev.apim.query.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.platform.db.ChangeSignals;
import dev.apim.platform.db.DatabaseEndpoint;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.query.application.ApplicationProjection;
import dev.apim.testsupport.TestServices;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.r2dbc.core.DatabaseClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LISTEN/NOTIFY between two "nodes" (two {@link ChangeSignals} on one real database): a commit signalled on one
 * reaches the other and not itself, the listener comes back after its connection is killed, and a write waiting
 * on node A for a token that node B's processor commits is released by B's signal alone (the fallback poll is
 * set to a minute, so nothing else could release it within the test).
 */
class CrossNodeSignalsTest {

    private String url;
    private ChangeSignals nodeA;
    private ChangeSignals nodeB;
    private JdbcTemplate jdbc;

    @BeforeEach
    void start() {
        url = TestServices.freshDatabase("signals");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url);
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        DatabaseEndpoint endpoint = new DatabaseEndpoint(url, null, null);
        nodeA = new ChangeSignals(ChangeSignals.ConnectionSource.of(endpoint), true);
        nodeB = new ChangeSignals(ChangeSignals.ConnectionSource.of(endpoint), true);
        nodeA.start();
        nodeB.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeA.listening() && nodeB.listening());
    }

    @AfterEach
    void stop() {
        nodeA.stop();
        nodeB.stop();
    }

    @Test
    void a_commit_on_one_node_reaches_the_other_and_not_itself() {
        List<ChangeSignals.Kind> atA = new CopyOnWriteArrayList<>();
        List<ChangeSignals.Kind> atB = new CopyOnWriteArrayList<>();
        nodeA.remote().subscribe(atA::add);
        nodeB.remote().subscribe(atB::add);

        nodeA.committed(ChangeSignals.Kind.EVENTS);

        await().atMost(Duration.ofSeconds(20)).until(() -> atB.contains(ChangeSignals.Kind.EVENTS));
        assertThat(nodeB.notificationsReceived()).isPositive();
        nodeB.committed(ChangeSignals.Kind.TOKENS);
        await().atMost(Duration.ofSeconds(20)).until(() -> atA.contains(ChangeSignals.Kind.TOKENS));
        assertThat(atA).doesNotContain(ChangeSignals.Kind.EVENTS);
    }

    @Test
    void the_listener_reconnects_after_its_connection_is_killed() {
        long failures = nodeB.connectionFailures();
        String database = new DatabaseEndpoint(url, null, null).database();
        jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = 'apim-signals' AND datname = ?", database);

        await().atMost(Duration.ofSeconds(20)).until(() -> nodeB.connectionFailures() > failures);
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeA.listening() && nodeB.listening());
        List<ChangeSignals.Kind> atB = new CopyOnWriteArrayList<>();
        nodeB.remote().subscribe(atB::add);
        nodeA.committed(ChangeSignals.Kind.EVENTS);
        await().atMost(Duration.ofSeconds(20)).until(() -> atB.contains(ChangeSignals.Kind.EVENTS));
    }

    @Test
    void a_waiting_write_on_one_node_is_released_by_the_token_commit_another_node_signals() {
        DatabaseEndpoint endpoint = new DatabaseEndpoint(url, null, null);
        DatabaseClient db = DatabaseClient.create(new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
                .builder().host(endpoint.host()).port(endpoint.port()).database(endpoint.database())
                .username(endpoint.effectiveUsername()).password(endpoint.effectivePassword()).build()));
        TokenProgress progressA = new TokenProgress(db, new ObjectMapper(),
                Map.of("apimgtdb", List.of(ApplicationProjection.class)), nodeA, Duration.ofMinutes(1));
        jdbc.update("INSERT INTO event_store.token_entry (processor_name, segment, token, token_type, owner) "
                + "VALUES ('apimgtdb', 0, '{\"index\":41,\"gaps\":[]}', 'x', 'node-b')");
        try {
            var waiting = progressA.awaitProcessed(42, null, "some-aggregate", Duration.ofSeconds(30)).toFuture();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());

            // node B's processor commits past 42 and says so
            jdbc.update("UPDATE event_store.token_entry SET token = '{\"index\":42,\"gaps\":[]}' "
                    + "WHERE processor_name = 'apimgtdb'");
            nodeB.committed(ChangeSignals.Kind.TOKENS);

            await().atMost(Duration.ofSeconds(20)).until(waiting::isDone);
            assertThat(waiting.join()).isTrue();
        } finally {
            progressA.close();
        }
    }
}
