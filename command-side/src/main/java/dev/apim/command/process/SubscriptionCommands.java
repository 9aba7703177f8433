package dev.apim.command.process;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.eventstore.AuditMetadata;
import dev.apim.eventstore.EventStoreConfiguration;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Set;

/** What the subscription process managers share: the claim table lookup and a tolerant command send. */
final class SubscriptionCommands {

    static final String CLAIMS = EventStoreConfiguration.SCHEMA + ".subscription_claim";

    private final CommandGateway gateway;
    private final JdbcTemplate jdbc;

    SubscriptionCommands(CommandGateway gateway, JdbcTemplate jdbc) {
        this.gateway = gateway;
        this.jdbc = jdbc;
    }

    List<String> ofApplication(String tenant, String applicationId) {
        return jdbc.queryForList("SELECT subscription_id FROM " + CLAIMS + " WHERE tenant = ? AND application_id = ? "
                + "ORDER BY subscription_id", String.class, tenant, applicationId);
    }

    /** By API id alone: API ids are unique across tenants and the lifecycle event does not carry the tenant. */
    List<String> ofApi(String apiId) {
        return jdbc.queryForList("SELECT subscription_id FROM " + CLAIMS + " WHERE api_id = ? ORDER BY subscription_id",
                String.class, apiId);
    }

    /** Whether an aggregate's event stream exists (e.g. an application's keys of one key type). */
    boolean streamExists(String aggregateId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + EventStoreConfiguration.SCHEMA
                + ".domain_event_entry WHERE aggregate_identifier = ?)", Boolean.class, aggregateId));
    }

    /**
     * Sends as the system on behalf of the triggering event; a subscription that is already gone or no
     * longer in a state the command applies to ({@code tolerated}) is skipped. Returns whether it was sent.
     */
    boolean send(Object command, String tenant, MetaData cause, Set<DomainError> tolerated) {
        Object correlation = cause == null ? null : cause.get(AuditMetadata.CORRELATION_ID);
        try {
            gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(AuditMetadata.of(
                    tenant, "system", null, correlation == null ? null : correlation.toString())));
            return true;
        } catch (AggregateNotFoundException e) {
            return false;
        } catch (DomainException e) {
            if (tolerated.contains(e.error())) {
                return false;
            }
            throw e;
        }
    }
}
