package dev.apim.command.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.OAuthClient;
import dev.apim.domain.keys.TokenRevocations;
import dev.apim.domain.keys.command.DeleteOAuthClient;
import dev.apim.domain.keys.command.RegisterOAuthClient;
import dev.apim.domain.keys.command.RevokeAccessToken;
import dev.apim.domain.keys.command.RevokeTokensIssuedBefore;
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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DCR client and token revocation aggregates through Axon's real event-sourcing repository on PostgreSQL:
 * {@code CREATE_IF_MISSING} creates once and then loads, the handler's answer (the consumer key) reaches the
 * sender, a deleted client registers again on its existing stream, and revocations are idempotent when loaded
 * back from stored JSON.
 */
class OAuthClientEventStoreTest {

    private static final String T = "carbon.super";
    private static final Requester ADMIN = new Requester("admin", false);
    private static JdbcTemplate jdbc;
    private static Configuration axon;
    private static CommandGateway commands;

    @BeforeAll
    static void start() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("oauth_clients"));
        Flyway.configure().dataSource(dataSource).schemas(EventStoreConfiguration.SCHEMA).createSchemas(true)
                .locations("classpath:db/event_store").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
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
                .configureAggregate(OAuthClient.class)
                .configureAggregate(TokenRevocations.class)
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

    private static <R> R send(Object command) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(AuditMetadata.of(T, "admin", "10.1.2.3", "req-1")));
    }

    private static String key() {
        return "k" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String hash() {
        return "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$" + UUID.randomUUID().toString().replace("-", "");
    }

    private static RegisterOAuthClient register(String name, String key, String hash) {
        return new RegisterOAuthClient(OAuthClient.idOf(T, "admin", name), T, "admin", name, key, hash,
                List.of("client_credentials", "password", "refresh_token"), null, false, ADMIN);
    }

    private static List<String> eventTypes(String aggregateId) {
        return jdbc.queryForList("SELECT payload_type FROM event_store.domain_event_entry WHERE aggregate_identifier = ? "
                + "ORDER BY sequence_number", String.class, aggregateId).stream()
                .map(t -> t.substring(t.lastIndexOf('.') + 1)).toList();
    }

    @Test
    void registering_creates_once_then_rotates_and_a_deleted_client_registers_again_with_a_new_key() {
        String name = "apictl_" + UUID.randomUUID().toString().substring(0, 8);
        String id = OAuthClient.idOf(T, "admin", name);
        String first = key();

        assertThat((String) send(register(name, first, hash()))).isEqualTo(first);
        assertThat((String) send(register(name, key(), hash()))).isEqualTo(first);
        send(new DeleteOAuthClient(id, ADMIN));
        String second = key();
        assertThat((String) send(register(name, second, hash()))).isEqualTo(second);

        assertThat(eventTypes(id)).containsExactly("OAuthClientRegistered", "OAuthClientSecretRotated",
                "OAuthClientDeleted", "OAuthClientRegistered");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload LIKE '%secret%' AND payload NOT LIKE '%$argon2id$%'",
                Long.class, id)).isZero();
    }

    @Test
    void deleting_a_client_never_registered_is_refused() {
        assertThatThrownBy(() -> send(new DeleteOAuthClient(OAuthClient.idOf(T, "admin", "never"), ADMIN)))
                .isInstanceOf(org.axonframework.modelling.command.AggregateNotFoundException.class);
    }

    @Test
    void revocations_loaded_back_from_the_store_stay_idempotent() {
        String key = key();
        String id = TokenRevocations.idOf(key);
        Instant exp = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        send(new RevokeAccessToken(id, T, key, "jti-a", exp, "logout"));
        send(new RevokeAccessToken(id, T, key, "jti-a", exp, "logout"));
        send(new RevokeAccessToken(id, T, key, "jti-b", exp, null));
        Instant cutoff = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(new RevokeTokensIssuedBefore(id, T, key, cutoff, "secret rotated"));
        send(new RevokeTokensIssuedBefore(id, T, key, cutoff.minusSeconds(5), null));

        assertThat(eventTypes(id)).containsExactly("AccessTokenRevoked", "AccessTokenRevoked",
                "TokensRevokedIssuedBefore");
        assertThatThrownBy(() -> send(new RevokeAccessToken(id, "wso2.com", key, "jti-c", exp, null)))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.error()).isEqualTo(DomainError.INVALID_TOKEN_REVOCATION));
    }
}
