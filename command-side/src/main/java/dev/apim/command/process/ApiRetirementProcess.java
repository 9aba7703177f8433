package dev.apim.command.process;

import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.subscription.command.RejectSubscription;
import dev.apim.eventstore.AuditMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;

import java.util.Set;

/**
 * Retiring an API rejects its pending approvals (WSO2 cleans up pending subscription workflows): every
 * subscription of the API gets {@code RejectSubscription}; the aggregate refuses the ones not pending with
 * SUBSCRIPTION_STATE_INVALID, which is expected and ignored.
 */
@ProcessingGroup(ApiRetirementProcess.PROCESSOR)
public class ApiRetirementProcess {

    public static final String PROCESSOR = "api-retirement";
    public static final String REASON = "The API was retired";

    private final SubscriptionCommands subscriptions;

    ApiRetirementProcess(SubscriptionCommands subscriptions) {
        this.subscriptions = subscriptions;
    }

    @EventHandler
    void on(ApiLifecycleChanged event, EventMessage<?> message) {
        if (event.newState() != ApiLifecycleState.RETIRED) {
            return;
        }
        Object tenant = message.getMetaData().get(AuditMetadata.TENANT);
        for (String subscriptionId : subscriptions.ofApi(event.apiId())) {
            subscriptions.send(new RejectSubscription(subscriptionId, REASON), tenant == null ? null : tenant.toString(),
                    message.getMetaData(), Set.of(DomainError.SUBSCRIPTION_STATE_INVALID,
                            DomainError.SUBSCRIPTION_NOT_FOUND));
        }
    }
}
