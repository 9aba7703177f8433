package dev.apim.command.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.ApplicationKeys;
import dev.apim.domain.keys.KeyMappingRegistry;
import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.command.GenerateApplicationKeys;
import dev.apim.domain.keys.command.RemoveApplicationKeys;
import dev.apim.domain.keys.command.RevokeApplicationKeys;
import dev.apim.eventstore.AuditMetadata;
import dev.apim.eventstore.EventSerialization;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.testsupport.TestServices;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "At most one live key mapping per application and key type" through Axon's real event-sourcing repository and
 * the claim table on PostgreSQL: a second generate is refused and writes nothing, removing frees the key type,
 * and of concurrent generates exactly one wins.
 */
class KeyMappingClaimsTest {

    private static final String T = "carbon.super";
    private static final Requester ALICE = new Requester("alice", false);
    private static JdbcTemplate jdbc;
    private static Configuration axon;
    private static CommandGateway commands;
    private static KeyMappingClaims claims;

    @BeforeAll
    static void start() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("key_mapping_claims"));
        Flyway.configure().dataSource(dataSource).schemas(EventStoreConfiguration.SCHEMA).createSchemas(true)
                .locations("classpath:db/event_store").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        claims = new KeyMappingClaims(jdbc, KeysCommandConfiguration.CLAIMS);
        var tx = new SpringTransactionManager(new JdbcTransactionManager(dataSource));
        var serializer = EventSerialization.serializer();
        var storeConfig = new EventStoreConfiguration();
        axon = DefaultConfigurer.defaultConfiguration()
                .configureTransactionManager(c -> tx)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> storeConfig.eventStorageEngine(dataSource, tx, serializer,
                        storeConfig.persistenceExceptionResolver(), List.of()))
                .configureCorrelationDataProviders(c -> List.of(new AuditMetadata()))
                .registerComponent(KeyMappingRegistry.class, c -> claims)
                .configureAggregate(ApplicationKeys.class)
                .buildConfiguration();
        axon.start();
        commands = axon.commandGateway();
    }

    @AfterAll
    static void stop() {
        if (axon != null) {
            axon.shutdown();
        }
    }

    private static void send(Object command) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(AuditMetadata.of(T, "alice", "10.1.2.3", "req-1")));
    }

    /** Generates PRODUCTION keys for the application as a new mapping; returns its id. */
    private static String generate(String applicationId) {
        String mapping = UUID.randomUUID().toString();
        String keysId = ApplicationKeys.idOf(mapping);
        send(new GenerateApplicationKeys(keysId, mapping, T, applicationId, "alice", KeyType.PRODUCTION,
                "k" + UUID.randomUUID().toString().replace("-", ""),
                "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$" + UUID.randomUUID().toString().replace("-", ""),
                List.of("client_credentials"), null, null, ALICE));
        return keysId;
    }

    private static long generatedFor(String applicationId) {
        return jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry WHERE payload_type = "
                + "'dev.apim.domain.keys.event.ApplicationKeysGenerated' AND payload::jsonb ->> 'applicationId' = ?",
                Long.class, applicationId);
    }

    private static List<String> holders(String applicationId) {
        return jdbc.queryForList("SELECT keys_id FROM " + KeysCommandConfiguration.CLAIMS
                + " WHERE tenant = ? AND application_id = ? AND key_type = 'PRODUCTION'", String.class, T, applicationId);
    }

    private static boolean alreadyExists(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DomainException d && d.error() == DomainError.KEY_MAPPING_ALREADY_EXIST) {
                return true;
            }
        }
        return false;
    }

    @Test
    void a_second_generate_is_refused_until_the_mapping_is_removed() {
        String app = UUID.randomUUID().toString();
        String first = generate(app);
        assertThat(holders(app)).containsExactly(first);
        assertThat(claims.claimed(T, app, KeyType.PRODUCTION)).isTrue();
        assertThat(claims.claimed(T, app, KeyType.SANDBOX)).isFalse();

        assertThatThrownBy(() -> generate(app)).matches(KeyMappingClaimsTest::alreadyExists);
        assertThat(generatedFor(app)).isEqualTo(1);
        assertThat(holders(app)).containsExactly(first);

        send(new RemoveApplicationKeys(first, ALICE));
        assertThat(holders(app)).isEmpty();
        String second = generate(app);
        assertThat(second).isNotEqualTo(first);
        assertThat(holders(app)).containsExactly(second);
        assertThat(generatedFor(app)).isEqualTo(2);
    }

    @Test
    void revoked_keys_keep_the_claim_and_removing_them_releases_it() {
        String app = UUID.randomUUID().toString();
        String keysId = generate(app);
        send(new RevokeApplicationKeys(keysId, "The application was deleted"));
        assertThat(claims.ofApplication(T, app)).containsExactly(keysId);
        send(new RemoveApplicationKeys(keysId, ALICE));
        assertThat(claims.ofApplication(T, app)).isEmpty();
    }

    @Test
    void releasing_with_another_mappings_id_keeps_the_claim() {
        String app = UUID.randomUUID().toString();
        String keysId = generate(app);
        claims.release(T, app, KeyType.PRODUCTION, "keys:" + UUID.randomUUID());
        assertThat(holders(app)).containsExactly(keysId);
    }

    @Test
    void of_concurrent_generates_exactly_one_wins() throws Exception {
        String app = UUID.randomUUID().toString();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return generate(app);
                }));
            }
            go.countDown();
            List<String> won = new ArrayList<>();
            int refused = 0;
            for (Future<String> result : results) {
                try {
                    won.add(result.get(30, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(alreadyExists(e)).as("refusal %s", e.getCause()).isTrue();
                    refused++;
                }
            }
            assertThat(won).hasSize(1);
            assertThat(refused).isEqualTo(n - 1);
            assertThat(holders(app)).containsExactly(won.get(0));
            assertThat(generatedFor(app)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
