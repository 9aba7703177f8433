package dev.apim.command.process;

import dev.apim.domain.keys.TokenRevocations;
import dev.apim.domain.keys.command.RevokeTokensIssuedBefore;
import dev.apim.domain.keys.event.ConsumerSecretRegenerated;
import dev.apim.eventstore.AuditMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Regenerating a key mapping's consumer secret revokes every access token issued with the old one (a secret is
 * regenerated because it leaked): the consumer key's tokens issued before the regeneration are cut off, as a
 * {@code TokensRevokedIssuedBefore} event the Key Manager and the gateways' broadcast stream both follow. Moving
 * a cut-off to where it already is writes nothing, so redelivery is harmless.
 */
@ProcessingGroup(SecretRegenerationProcess.PROCESSOR)
public class SecretRegenerationProcess {

    public static final String PROCESSOR = "secret-regeneration";

    private final SubscriptionCommands commands;

    SecretRegenerationProcess(SubscriptionCommands commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(ConsumerSecretRegenerated event, @Timestamp Instant at, EventMessage<?> message) {
        Object tenant = message.getMetaData().get(AuditMetadata.TENANT);
        if (tenant == null) {
            throw new IllegalStateException("ConsumerSecretRegenerated " + message.getIdentifier() + " has no tenant");
        }
        // JWT iat has whole seconds: cut at the regeneration's second, so a token the new secret gets at once is
        // not cut off with the old ones (a token issued with the old secret within that same second survives).
        commands.send(new RevokeTokensIssuedBefore(TokenRevocations.idOf(event.consumerKey()), tenant.toString(),
                event.consumerKey(), at.truncatedTo(ChronoUnit.SECONDS), "consumer secret regenerated"), tenant.toString(), message.getMetaData(),
                Set.of());
    }
}
