package dev.apim.command.process;

import dev.apim.domain.application.event.ApplicationDeleted;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.keys.command.RevokeApplicationKeys;
import dev.apim.domain.common.Requester;
import dev.apim.domain.subscription.command.DeleteSubscription;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;

import java.util.Set;

/**
 * Deleting an application removes its subscriptions (as WSO2 does): each subscription still claimed for the
 * application (consistent claim table) is deleted by the system. Its key mappings claimed for it (claim table
 * {@code application_keys_claim}, whatever the form of their id) are revoked, so they stop working while the
 * mapping stays on record (and keeps its claim). Anything already gone is skipped and revoking is
 * idempotent, so a redelivery or a concurrent deletion is harmless.
 */
@ProcessingGroup(ApplicationDeletionProcess.PROCESSOR)
public class ApplicationDeletionProcess {

    public static final String PROCESSOR = "application-deletion";
    static final Requester SYSTEM = new Requester("system", true);

    private final SubscriptionCommands subscriptions;

    ApplicationDeletionProcess(SubscriptionCommands subscriptions) {
        this.subscriptions = subscriptions;
    }

    @EventHandler
    void on(ApplicationDeleted event, EventMessage<?> message) {
        for (String subscriptionId : subscriptions.ofApplication(event.tenant(), event.applicationId())) {
            subscriptions.send(new DeleteSubscription(subscriptionId, SYSTEM), event.tenant(), message.getMetaData(),
                    Set.of(DomainError.SUBSCRIPTION_NOT_FOUND));
        }
        for (String keysId : subscriptions.keysOfApplication(event.tenant(), event.applicationId())) {
            subscriptions.send(new RevokeApplicationKeys(keysId, "The application was deleted"), event.tenant(),
                    message.getMetaData(), Set.of());
        }
    }
}
