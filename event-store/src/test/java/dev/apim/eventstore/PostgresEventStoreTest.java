package dev.apim.eventstore;

import dev.apim.domain.api.Api;
import dev.apim.domain.api.ApiContextRegistry;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.LifecycleAction;
import dev.apim.domain.api.command.ChangeApiLifecycle;
import dev.apim.domain.api.command.CreateApi;
import dev.apim.domain.api.command.CreateApiRevision;
import dev.apim.domain.api.command.UpdateApi;
import dev.apim.domain.common.DomainException;
import dev.apim.testsupport.TestServices;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The event store on a real PostgreSQL: payloads and metadata are readable JSON, every event carries the
 * audit metadata, and Api snapshots are written and read back (an aggregate that loads from a snapshot
 * still decides correctly).
 */
class PostgresEventStoreTest {

    private static PGSimpleDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static Configuration axon;
    private static CommandGateway commands;
    private static final Map<String, String> claims = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("eventstore"));
        Flyway.configure().dataSource(dataSource).schemas(EventStoreConfiguration.SCHEMA).createSchemas(true)
                .locations("classpath:db/event_store").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        var tx = new SpringTransactionManager(new JdbcTransactionManager(dataSource));
        var serializer = EventSerialization.serializer();
        var storeConfig = new EventStoreConfiguration();
        ApiContextRegistry registry = new ApiContextRegistry() {
            @Override
            public void claim(String tenant, String context, String version, String apiId) {
                String previous = claims.putIfAbsent(tenant + context + version, apiId);
                if (previous != null && !previous.equals(apiId)) {
                    throw new IllegalStateException("taken");
                }
            }

            @Override
            public void release(String tenant, String context, String version, String apiId) {
                claims.remove(tenant + context + version, apiId);
            }
        };
        axon = DefaultConfigurer.defaultConfiguration()
                .configureTransactionManager(c -> tx)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> storeConfig.eventStorageEngine(dataSource, tx, serializer,
                        storeConfig.persistenceExceptionResolver(), List.of()))
                .configureCorrelationDataProviders(c -> List.of(new AuditMetadata()))
                .registerComponent(ApiContextRegistry.class, c -> registry)
                .registerComponent(dev.apim.domain.api.ApiSubscriptionCheck.class, c -> (tenant, apiId) -> false)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Api.class)
                        .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), 3)))
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

    @Test
    void events_are_readable_json_with_audit_metadata() {
        String apiId = UUID.randomUUID().toString();
        send(new CreateApi(apiId, "carbon.super", definition("Readable", "/readable"), null));

        Map<String, Object> row = jdbc.queryForMap("SELECT payload_type, payload, meta_data FROM event_store.domain_event_entry "
                + "WHERE aggregate_identifier = ?", apiId);
        assertThat(row.get("payload_type")).isEqualTo("dev.apim.domain.api.event.ApiCreated");
        assertThat((String) row.get("payload")).startsWith("{").contains("\"name\":\"Readable", "\"context\":\"/readable");
        assertThat((String) row.get("meta_data")).contains("\"principal\":\"alice\"", "\"tenant\":\"carbon.super\"",
                "\"clientIp\":\"10.1.2.3\"", "\"correlationId\":\"req-1\"", "\"causationId\"");
        Boolean validJson = jdbc.queryForObject("SELECT (payload::jsonb ->> 'apiId') = ? FROM event_store.domain_event_entry "
                + "WHERE aggregate_identifier = ?", Boolean.class, apiId, apiId);
        assertThat(validJson).isTrue();
    }

    @Test
    void api_snapshots_are_written_as_json_and_used_when_loading() {
        String apiId = UUID.randomUUID().toString();
        ApiDefinition definition = definition("Snap", "/snap");
        send(new CreateApi(apiId, "carbon.super", definition, null));
        send(new UpdateApi(apiId, null, definition, null));
        send(new CreateApiRevision(apiId, "rev-a", "first"));
        send(new UpdateApi(apiId, null, definition, null));
        send(new ChangeApiLifecycle(apiId, null, LifecycleAction.PUBLISH));

        Integer snapshots = jdbc.queryForObject("SELECT count(*) FROM event_store.snapshot_event_entry "
                + "WHERE aggregate_identifier = ?", Integer.class, apiId);
        assertThat(snapshots).isPositive();
        String snapshot = jdbc.queryForObject("SELECT payload FROM event_store.snapshot_event_entry WHERE "
                + "aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1", String.class, apiId);
        assertThat(snapshot).contains("\"rev-a\"", "\"name\":\"Snap", "\"state\":\"PUBLISHED\"");

        // Loading goes through the snapshot: state (lifecycle, revisions) must survive it.
        assertThatThrownBy(() -> send(new ChangeApiLifecycle(apiId, null, LifecycleAction.RETIRE)))
                .isInstanceOf(DomainException.class).hasMessageContaining("PUBLISHED");
        assertThatThrownBy(() -> send(new CreateApiRevision(apiId, "rev-a", "again")))
                .isInstanceOf(DomainException.class).hasMessageContaining("already exists");
        send(new ChangeApiLifecycle(apiId, null, LifecycleAction.BLOCK));
        Long events = jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, apiId);
        assertThat(events).isEqualTo(6);
    }

    @Test
    void a_refused_command_writes_no_event() {
        String apiId = UUID.randomUUID().toString();
        send(new CreateApi(apiId, "carbon.super", definition("Refuse", "/refuse"), null));
        assertThatThrownBy(() -> send(new ChangeApiLifecycle(apiId, null, LifecycleAction.DEPRECATE)))
                .isInstanceOf(DomainException.class);
        Long events = jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, apiId);
        assertThat(events).isEqualTo(1);
    }

    @Test
    void a_lost_append_race_is_a_concurrency_conflict_not_a_storage_failure() {
        // Two writers appending the same aggregate sequence: the loser must see Axon's ConcurrencyException (which
        // ConcurrentWriteRetry retries), not a plain EventStoreException. PostgreSQL reports the unique violation
        // (SQLState 23505) inside the driver's BatchUpdateException.
        var serializer = EventSerialization.serializer();
        var storeConfig = new EventStoreConfiguration();
        var tx = new SpringTransactionManager(new JdbcTransactionManager(dataSource));
        var engine = storeConfig.eventStorageEngine(dataSource, tx, serializer, storeConfig.persistenceExceptionResolver(),
                List.of());
        String aggregateId = UUID.randomUUID().toString();
        engine.appendEvents(new GenericDomainEventMessage<>("Api", aggregateId, 0, "created"));
        engine.appendEvents(new GenericDomainEventMessage<>("Api", aggregateId, 1, "first writer"));
        assertThatThrownBy(() -> engine.appendEvents(new GenericDomainEventMessage<>("Api", aggregateId, 1, "second writer")))
                .isInstanceOf(ConcurrencyException.class);
        // and creating an aggregate whose identifier exists is Axon's creation conflict, also recognised
        assertThatThrownBy(() -> engine.appendEvents(new GenericDomainEventMessage<>("Api", aggregateId, 0, "again")))
                .isInstanceOf(AggregateStreamCreationException.class);
        Long events = jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
        assertThat(events).isEqualTo(2);
    }

    private static void send(Object command) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(AuditMetadata.of("carbon.super", "alice", "10.1.2.3", "req-1")));
    }

    private static ApiDefinition definition(String name, String context) {
        return new ApiDefinition(name + UUID.randomUUID().toString().substring(0, 6), "d", context
                + UUID.randomUUID().toString().substring(0, 6), "1.0.0", "alice", null, null, null, List.of("Gold"),
                null, null, null, null, null, false, new ApiEndpoints("http", "http://backend.test/", null),
                List.of(new ApiOperation("/items", "GET", null, null, List.of())), List.of(), Map.of(), Map.of());
    }
}
