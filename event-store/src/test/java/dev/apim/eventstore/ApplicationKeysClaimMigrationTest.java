package dev.apim.eventstore;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.testsupport.TestServices;
import org.axonframework.serialization.Serializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V7 backfills {@code application_keys_claim} from the event store: every key mapping generated before the table
 * existed claims its application and key type unless it was removed (a revoked one keeps its claim).
 */
class ApplicationKeysClaimMigrationTest {

    private static final Serializer SERIALIZER = EventSerialization.serializer();

    private static Flyway flyway(PGSimpleDataSource dataSource, String target) {
        var config = Flyway.configure().dataSource(dataSource).schemas(EventStoreConfiguration.SCHEMA)
                .createSchemas(true).locations("classpath:db/event_store");
        return (target == null ? config : config.target(target)).load();
    }

    private static void append(JdbcTemplate jdbc, String aggregateId, long sequence, Object event) {
        jdbc.update("INSERT INTO event_store.domain_event_entry (event_identifier, aggregate_identifier, "
                        + "sequence_number, type, time_stamp, payload_type, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), aggregateId, sequence, "ApplicationKeys", Instant.now().toString(),
                event.getClass().getName(), SERIALIZER.serialize(event, String.class).getData());
    }

    private static ApplicationKeysGenerated generated(String tenant, String app, KeyType type) {
        return new ApplicationKeysGenerated("keys:" + app + ":" + type, UUID.randomUUID().toString(), tenant, app,
                "alice", type, "k" + UUID.randomUUID().toString().replace("-", ""),
                "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", List.of("client_credentials"), null,
                TokenLifetimes.defaults());
    }

    @Test
    void existing_mappings_that_were_not_removed_are_claimed() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("keys_claim_migration"));
        flyway(dataSource, "6").migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        String app = UUID.randomUUID().toString();
        ApplicationKeysGenerated live = generated("carbon.super", app, KeyType.PRODUCTION);
        ApplicationKeysGenerated removed = generated("carbon.super", app, KeyType.SANDBOX);
        String revokedApp = UUID.randomUUID().toString();
        ApplicationKeysGenerated revoked = generated("wso2.com", revokedApp, KeyType.SANDBOX);
        append(jdbc, live.keysId(), 0, live);
        append(jdbc, removed.keysId(), 0, removed);
        append(jdbc, removed.keysId(), 1, new ApplicationKeysRemoved(removed.keysId(), removed.consumerKey(), app));
        append(jdbc, revoked.keysId(), 0, revoked);
        append(jdbc, revoked.keysId(), 1, new ApplicationKeysRevoked(revoked.keysId(), revoked.consumerKey(),
                revokedApp, "The application was deleted"));

        flyway(dataSource, null).migrate();

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT tenant, application_id, key_type, keys_id "
                + "FROM event_store.application_keys_claim ORDER BY tenant");
        assertThat(rows).containsExactly(
                Map.of("tenant", "carbon.super", "application_id", app, "key_type", "PRODUCTION",
                        "keys_id", live.keysId()),
                Map.of("tenant", "wso2.com", "application_id", revokedApp, "key_type", "SANDBOX",
                        "keys_id", revoked.keysId()));
    }
}
