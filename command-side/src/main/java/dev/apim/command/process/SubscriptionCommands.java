package dev.apim.command.process;

import dev.apim.command.keys.KeysCommandConfiguration;
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

/** What the subscription process managers share: the claim table lookups and a tolerant command send. */
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

    /**
     * The key mappings claimed for the application (its live keys of each key type, and revoked ones not yet
     * removed), from the claim table written with the mappings' events, so it is never behind them.
     */
    List<String> keysOfApplication(String tenant, String applicationId) {
        return jdbc.queryForList("SELECT keys_id FROM " + KeysCommandConfiguration.CLAIMS + " WHERE tenant = ? "
                + "AND application_id = ? ORDER BY key_type", String.class, tenant, applicationId);
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
