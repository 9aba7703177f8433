package dev.apim.command.process;

import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.LifecycleAction;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.application.event.ApplicationDeleted;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.command.RevokeApplicationKeys;
import dev.apim.domain.subscription.command.DeleteSubscription;
import dev.apim.domain.subscription.command.RejectSubscription;
import dev.apim.eventstore.AuditMetadata;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.testsupport.TestServices;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The subscription process managers against the real claim table on PostgreSQL and a real Axon command bus
 * whose handlers record what they receive (and refuse as the Subscription aggregate would).
 */
class SubscriptionProcessManagersTest {

    private static final String TENANT = "carbon.super";
    private static JdbcTemplate jdbc;

    private final List<CommandMessage<?>> sent = new CopyOnWriteArrayList<>();
    /** Subscription ids whose aggregate refuses the command, with the refusal. */
    private final Map<String, RuntimeException> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private ApplicationDeletionProcess applicationDeletion;
    private ApiRetirementProcess apiRetirement;

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("process_managers"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
    }

    @BeforeEach
    void bus() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(DeleteSubscription.class.getName(), this::handle);
        bus.subscribe(RejectSubscription.class.getName(), this::handle);
        bus.subscribe(RevokeApplicationKeys.class.getName(), this::handle);
        SubscriptionCommands commands = new SubscriptionCommands(
                DefaultCommandGateway.builder().commandBus(bus).build(), jdbc);
        applicationDeletion = new ApplicationDeletionProcess(commands);
        apiRetirement = new ApiRetirementProcess(commands);
    }

    private Object handle(CommandMessage<?> command) {
        sent.add(command);
        Object payload = command.getPayload();
        String id = payload instanceof DeleteSubscription d ? d.subscriptionId()
                : payload instanceof RevokeApplicationKeys r ? r.keysId()
                : ((RejectSubscription) payload).subscriptionId();
        RuntimeException refusal = refusals.get(id);
        if (refusal != null) {
            throw refusal;
        }
        return null;
    }

    private static String claim(String apiId, String applicationId) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO event_store.subscription_claim (tenant, api_id, application_id, subscription_id) "
                + "VALUES (?, ?, ?, ?)", TENANT, apiId, applicationId, id);
        return id;
    }

    private static void claimKeys(String applicationId, String keyType, String keysId) {
        jdbc.update("INSERT INTO event_store.application_keys_claim (tenant, application_id, key_type, keys_id) "
                + "VALUES (?, ?, ?, ?)", TENANT, applicationId, keyType, keysId);
    }

    private static EventMessage<?> event(Object payload) {
        return GenericEventMessage.asEventMessage(payload)
                .andMetaData(AuditMetadata.of(TENANT, "admin", "127.0.0.1", "corr-1"));
    }

    private List<Object> payloads() {
        return sent.stream().map(m -> (Object) m.getPayload()).toList();
    }

    @Test
    void deletingAnApplicationDeletesEachOfItsSubscriptionsAsTheSystem() {
        String app = UUID.randomUUID().toString();
        String first = claim(UUID.randomUUID().toString(), app);
        String second = claim(UUID.randomUUID().toString(), app);
        String otherApplications = claim(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        ApplicationDeleted deleted = new ApplicationDeleted(app, TENANT, "alice", "MyApp");

        applicationDeletion.on(deleted, event(deleted));

        Requester system = new Requester("system", true);
        assertThat(payloads()).containsExactlyInAnyOrder(new DeleteSubscription(first, system),
                new DeleteSubscription(second, system));
        assertThat(payloads()).doesNotContain(new DeleteSubscription(otherApplications, system));
        assertThat(sent).allSatisfy(m -> {
            assertThat(m.getMetaData().get(AuditMetadata.PRINCIPAL)).isEqualTo("system");
            assertThat(m.getMetaData().get(AuditMetadata.TENANT)).isEqualTo(TENANT);
            assertThat(m.getMetaData().get(AuditMetadata.CORRELATION_ID)).isEqualTo("corr-1");
        });
    }

    @Test
    void aSubscriptionAlreadyDeletedDoesNotStopTheOthers() {
        String app = UUID.randomUUID().toString();
        String gone = claim(UUID.randomUUID().toString(), app);
        String notFound = claim(UUID.randomUUID().toString(), app);
        String live = claim(UUID.randomUUID().toString(), app);
        refusals.put(gone, new AggregateDeletedException(gone, "deleted"));
        refusals.put(notFound, DomainException.of(DomainError.SUBSCRIPTION_NOT_FOUND, "gone"));
        ApplicationDeleted deleted = new ApplicationDeleted(app, TENANT, "alice", "MyApp");

        applicationDeletion.on(deleted, event(deleted));

        assertThat(payloads()).hasSize(3).contains(new DeleteSubscription(live, new Requester("system", true)));
    }

    @Test
    void deletingAnApplicationRevokesEachKeyMappingClaimedForItWhateverTheFormOfItsId() {
        String app = UUID.randomUUID().toString();
        String production = "keys:" + UUID.randomUUID();
        String legacySandbox = "keys:" + app + ":SANDBOX";
        String otherApplications = "keys:" + UUID.randomUUID();
        claimKeys(app, "PRODUCTION", production);
        claimKeys(app, "SANDBOX", legacySandbox);
        claimKeys(UUID.randomUUID().toString(), "PRODUCTION", otherApplications);
        ApplicationDeleted deleted = new ApplicationDeleted(app, TENANT, "alice", "MyApp");

        applicationDeletion.on(deleted, event(deleted));

        assertThat(payloads()).containsExactlyInAnyOrder(
                new RevokeApplicationKeys(production, "The application was deleted"),
                new RevokeApplicationKeys(legacySandbox, "The application was deleted"));
        assertThat(sent).allSatisfy(m -> assertThat(m.getMetaData().get(AuditMetadata.PRINCIPAL)).isEqualTo("system"));
    }

    @Test
    void keyMappingsAlreadyRemovedAreSkipped() {
        String app = UUID.randomUUID().toString();
        String removed = "keys:" + UUID.randomUUID();
        String live = "keys:" + UUID.randomUUID();
        claimKeys(app, "PRODUCTION", removed);
        claimKeys(app, "SANDBOX", live);
        refusals.put(removed, new AggregateDeletedException(removed, "removed"));
        ApplicationDeleted deleted = new ApplicationDeleted(app, TENANT, "alice", "MyApp");

        applicationDeletion.on(deleted, event(deleted));

        assertThat(payloads()).hasSize(2).contains(new RevokeApplicationKeys(live, "The application was deleted"));
    }

    @Test
    void anApplicationWithoutSubscriptionsSendsNothing() {
        ApplicationDeleted deleted = new ApplicationDeleted(UUID.randomUUID().toString(), TENANT, "bob", "Empty");
        applicationDeletion.on(deleted, event(deleted));
        assertThat(sent).isEmpty();
    }

    @Test
    void retiringAnApiRejectsItsSubscriptionsAndIgnoresThoseNotPending() {
        String api = UUID.randomUUID().toString();
        String pending = claim(api, UUID.randomUUID().toString());
        String active = claim(api, UUID.randomUUID().toString());
        String otherApis = claim(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        refusals.put(active, DomainException.of(DomainError.SUBSCRIPTION_STATE_INVALID, "not pending"));
        ApiLifecycleChanged retired = new ApiLifecycleChanged(api, ApiLifecycleState.DEPRECATED,
                ApiLifecycleState.RETIRED, LifecycleAction.RETIRE);

        apiRetirement.on(retired, event(retired));

        assertThat(payloads()).containsExactlyInAnyOrder(
                new RejectSubscription(pending, ApiRetirementProcess.REASON),
                new RejectSubscription(active, ApiRetirementProcess.REASON));
        assertThat(payloads()).doesNotContain(new RejectSubscription(otherApis, ApiRetirementProcess.REASON));
    }

    @Test
    void otherLifecycleChangesLeaveSubscriptionsAlone() {
        String api = UUID.randomUUID().toString();
        claim(api, UUID.randomUUID().toString());
        for (ApiLifecycleState state : Set.of(ApiLifecycleState.PUBLISHED, ApiLifecycleState.BLOCKED,
                ApiLifecycleState.DEPRECATED)) {
            ApiLifecycleChanged changed = new ApiLifecycleChanged(api, ApiLifecycleState.CREATED, state,
                    LifecycleAction.PUBLISH);
            apiRetirement.on(changed, event(changed));
        }
        assertThat(sent).isEmpty();
    }

    @Test
    void anUnexpectedRefusalIsNotSwallowed() {
        String api = UUID.randomUUID().toString();
        String broken = claim(api, UUID.randomUUID().toString());
        refusals.put(broken, DomainException.of(DomainError.INVALID_INPUT, "unexpected"));
        ApiLifecycleChanged retired = new ApiLifecycleChanged(api, ApiLifecycleState.PUBLISHED,
                ApiLifecycleState.RETIRED, LifecycleAction.RETIRE);

        assertThatThrownBy(() -> apiRetirement.on(retired, event(retired))).isInstanceOf(DomainException.class);
    }
}
