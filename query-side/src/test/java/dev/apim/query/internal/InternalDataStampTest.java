package dev.apim.query.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.platform.db.DatabaseEndpoint;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.testsupport.TestServices;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The internal data stamp over several segments and gaps, on real PostgreSQL: the lowest over segments; a young gap
 * (its next event stored within {@link InternalDataReader#GAP_GRACE}) holds the stamp just below it, an old one —
 * a rolled-back append that will never be filled — does not.
 */
class InternalDataStampTest {

    private static JdbcTemplate jdbc;
    private static InternalDataReader reader;

    @BeforeAll
    static void database() {
        String url = TestServices.freshDatabase("apim_cluster_stamp");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        DatabaseEndpoint endpoint = new DatabaseEndpoint(url, null, null);
        PostgresqlConnectionFactory connections = new PostgresqlConnectionFactory(
                PostgresqlConnectionConfiguration.builder().host(endpoint.host()).port(endpoint.port())
                        .database(endpoint.database()).username(endpoint.effectiveUsername())
                        .password(endpoint.effectivePassword()).build());
        reader = new InternalDataReader(DatabaseClient.create(connections), connections, new ObjectMapper());
    }

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM event_store.token_entry");
        jdbc.update("DELETE FROM event_store.domain_event_entry");
    }

    private static void event(long index, Instant at) {
        jdbc.update("INSERT INTO event_store.domain_event_entry (global_index, event_identifier, aggregate_identifier, "
                + "sequence_number, type, time_stamp, payload_type, payload) VALUES (?, ?, ?, 0, 'T', ?, 'P', '{}')",
                index, UUID.randomUUID().toString(), UUID.randomUUID().toString(), at.toString());
    }

    private static void token(int segment, String token) {
        jdbc.update("INSERT INTO event_store.token_entry (processor_name, segment, token, token_type) "
                + "VALUES ('apimgtdb', ?, ?, 'org.axonframework.eventhandling.GapAwareTrackingToken')", segment, token);
    }

    private static long stamp() {
        return reader.stamp().block(Duration.ofSeconds(10));
    }

    @Test
    void the_stamp_is_the_lowest_over_segments_and_only_young_gaps_hold_it_back() {
        Instant old = Instant.now().minus(Duration.ofMinutes(5));
        Instant recent = Instant.now();
        for (long i = 1; i <= 9; i++) {
            if (i != 3 && i != 7) {
                event(i, i < 7 ? old : recent);
            }
        }
        assertThat(stamp()).isZero();

        token(0, "{\"index\":9,\"gaps\":[]}");
        token(1, "{\"index\":8,\"gaps\":[]}");
        assertThat(stamp()).as("lowest over segments").isEqualTo(8);

        // 3 is an old gap (event 4 stored minutes ago): dead; 7 is young (event 8 just stored): pending
        jdbc.update("UPDATE event_store.token_entry SET token = ? WHERE segment = 1", "{\"index\":9,\"gaps\":[3]}");
        assertThat(stamp()).as("an old gap does not hold the stamp").isEqualTo(9);
        jdbc.update("UPDATE event_store.token_entry SET token = ? WHERE segment = 1", "{\"index\":9,\"gaps\":[3,7]}");
        assertThat(stamp()).as("a young gap does").isEqualTo(6);
        // a replay token wraps the current one
        jdbc.update("UPDATE event_store.token_entry SET token = ? WHERE segment = 0",
                "{\"tokenAtReset\":{\"index\":9},\"currentToken\":{\"index\":5,\"gaps\":[]}}");
        assertThat(stamp()).isEqualTo(5);
    }
}
