package dev.apim.command.support;

import dev.apim.command.devportal.ApplicationNameClaims;
import dev.apim.domain.application.ApplicationDetails;
import dev.apim.domain.application.ApplicationNameRegistry;
import dev.apim.domain.application.Requester;
import dev.apim.domain.application.command.CreateApplication;
import dev.apim.domain.application.command.UpdateApplication;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog;
import dev.apim.eventstore.AuditMetadata;
import dev.apim.eventstore.EventSerialization;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.eventstore.ReturningAppend;
import dev.apim.domain.application.Application;
import dev.apim.testsupport.TestServices;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write path's fewer round trips, on real PostgreSQL through Axon's real repository and event store: the
 * receipt's global index comes from the append itself ({@link ReturningAppend}) and equals what the event store
 * holds; a rename claims the new name and releases the old one in one statement, and a refused rename changes
 * nothing (the old name stays claimed, no event).
 */
class WritePathRoundTripsTest {

    private static final String T = "carbon.super";
    private static final Requester ALICE = new Requester("alice", T, false);
    private static final String CLAIMS = EventStoreConfiguration.SCHEMA + ".application_name_claim";
    private static JdbcTemplate jdbc;
    private static Configuration axon;
    private static CommandGateway commands;
    private static ApplicationNameClaims names;

    @BeforeAll
    static void start() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("writepath_round_trips"));
        Flyway.configure().dataSource(dataSource).schemas(EventStoreConfiguration.SCHEMA).createSchemas(true)
                .locations("classpath:db/event_store").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        names = new ApplicationNameClaims(jdbc, CLAIMS);
        ThrottlePolicyCatalog policies = (tenant, level, name) ->
                Optional.of(new ThrottlePolicyCatalog.PolicyRef("p-unlimited", "Unlimited", false));
        var tx = new SpringTransactionManager(new JdbcTransactionManager(dataSource));
        var serializer = EventSerialization.serializer();
        var storeConfig = new EventStoreConfiguration();
        var receipts = new CommandReceiptInterceptor(jdbc, EventStoreConfiguration.SCHEMA + ".domain_event_entry");
        axon = DefaultConfigurer.defaultConfiguration()
                .configureTransactionManager(c -> tx)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> storeConfig.eventStorageEngine(dataSource, tx, serializer,
                        storeConfig.persistenceExceptionResolver(), List.of()))
                .configureCorrelationDataProviders(c -> List.of(new AuditMetadata()))
                .registerComponent(ApplicationNameRegistry.class, c -> names)
                .registerComponent(ThrottlePolicyCatalog.class, c -> policies)
                .configureAggregate(Application.class)
                .buildConfiguration();
        axon.start();
        axon.commandBus().registerHandlerInterceptor(receipts);
        axon.eventStore().registerDispatchInterceptor(receipts);
        commands = axon.commandGateway();
    }

    @AfterAll
    static void stop() {
        if (axon != null) {
            axon.shutdown();
        }
    }

    @Test
    void receiptCarriesTheGlobalIndexTheAppendReturned() {
        String id = UUID.randomUUID().toString();
        CommandReceipt created = send(new CreateApplication(id, T, "alice", details("Receipts " + id)));
        CommandReceipt updated = send(new UpdateApplication(id, null, ALICE, details("Receipts renamed " + id)));

        assertThat(created.globalIndex()).isEqualTo(stored(id, 0));
        assertThat(created.version()).isZero();
        assertThat(updated.globalIndex()).isEqualTo(stored(id, 1));
        assertThat(updated.version()).isEqualTo(1);
        assertThat(updated.globalIndex()).isGreaterThan(created.globalIndex());
        assertThat(updated.aggregateId()).isEqualTo(id);
    }

    @Test
    void appendRemembersEveryEventOfABatchInItsUnitOfWork() {
        EventStore store = axon.eventStore();
        var first = GenericEventMessage.asEventMessage("one");
        var second = GenericEventMessage.asEventMessage("two");
        AtomicReference<OptionalLong> one = new AtomicReference<>();
        AtomicReference<OptionalLong> two = new AtomicReference<>();
        var uow = DefaultUnitOfWork.startAndGet(null);
        uow.attachTransaction(axon.getComponent(org.axonframework.common.transaction.TransactionManager.class));
        store.publish(first, second);
        uow.onPrepareCommit(u -> {   // registered after the event store's append: runs after it, in the transaction
            one.set(ReturningAppend.globalIndexOf(first.getIdentifier()));
            two.set(ReturningAppend.globalIndexOf(second.getIdentifier()));
        });
        uow.commit();

        assertThat(one.get()).hasValue(storedByIdentifier(first.getIdentifier()));
        assertThat(two.get()).hasValue(storedByIdentifier(second.getIdentifier()));
        assertThat(two.get().getAsLong()).isGreaterThan(one.get().getAsLong());
        assertThat(ReturningAppend.globalIndexOf(first.getIdentifier())).isEmpty(); // no unit of work any more
    }

    @Test
    void renameMovesTheClaimInOneStatementAndARefusedRenameChangesNothing() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        send(new CreateApplication(a, T, "alice", details("Alpha " + a)));
        send(new CreateApplication(b, T, "alice", details("Beta " + b)));

        send(new UpdateApplication(a, null, ALICE, details("Gamma " + a)));
        assertThat(claimedNames(a)).containsExactly("gamma " + a);

        // only the case changes: the same claim, the new spelling, nothing released
        send(new UpdateApplication(a, null, ALICE, details("GAMMA " + a)));
        assertThat(claimedNames(a)).containsExactly("gamma " + a);
        assertThat(jdbc.queryForObject("SELECT name FROM " + CLAIMS + " WHERE application_id = ?", String.class, a))
                .isEqualTo("GAMMA " + a);

        // b's name is taken: refused, b keeps its own claim and no event is written
        long eventsOfB = events(b);
        assertThatThrownBy(() -> send(new UpdateApplication(b, null, ALICE, details("gamma " + a))))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.error()).isEqualTo(DomainError.APPLICATION_ALREADY_EXISTS));
        assertThat(claimedNames(b)).containsExactly("beta " + b);
        assertThat(claimedNames(a)).containsExactly("gamma " + a);
        assertThat(events(b)).isEqualTo(eventsOfB);

        // the registry directly: a refused rename releases nothing, a successful one moves the claim
        assertThatThrownBy(() -> names.rename(T, "alice", "Beta " + b, "Gamma " + a, b))
                .isInstanceOf(DomainException.class);
        assertThat(claimedNames(b)).containsExactly("beta " + b);
        names.rename(T, "alice", "Beta " + b, "Delta " + b, b);
        assertThat(claimedNames(b)).containsExactly("delta " + b);
    }

    private static CommandReceipt send(Object command) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(AuditMetadata.of(T, "alice", "127.0.0.1", UUID.randomUUID().toString())));
    }

    private static ApplicationDetails details(String name) {
        return new ApplicationDetails(name, "d", "Unlimited", "JWT", Map.of(), List.of());
    }

    private static long stored(String aggregateId, long sequence) {
        return jdbc.queryForObject("SELECT global_index FROM " + EventStoreConfiguration.SCHEMA
                + ".domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?", Long.class,
                aggregateId, sequence);
    }

    private static long storedByIdentifier(String eventId) {
        return jdbc.queryForObject("SELECT global_index FROM " + EventStoreConfiguration.SCHEMA
                + ".domain_event_entry WHERE event_identifier = ?", Long.class, eventId);
    }

    private static long events(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM " + EventStoreConfiguration.SCHEMA
                + ".domain_event_entry WHERE aggregate_identifier = ?", Long.class, aggregateId);
    }

    private static List<String> claimedNames(String applicationId) {
        return jdbc.queryForList("SELECT name_key FROM " + CLAIMS + " WHERE application_id = ? ORDER BY 1",
                String.class, applicationId);
    }
}
