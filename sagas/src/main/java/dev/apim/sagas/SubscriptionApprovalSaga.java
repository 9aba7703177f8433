package dev.apim.sagas;

import dev.apim.domain.subscription.command.ApproveSubscription;
import dev.apim.domain.subscription.command.RejectSubscription;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRequested;
import dev.apim.domain.workflow.CompleteWorkflow;
import dev.apim.domain.workflow.CreateWorkflow;
import dev.apim.domain.workflow.WorkflowCompleted;
import dev.apim.domain.workflow.WorkflowStatus;
import dev.apim.domain.workflow.WorkflowType;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Subscription approval: a subscription (or a tier change) whose tier requires approval opens a workflow;
 * the administrator's decision approves or rejects it. A workflow left open past its deadline is rejected
 * by the workflow sweeper, which completes the workflow like an administrator would. Deleting the
 * subscription meanwhile closes the workflow as rejected.
 */
public class SubscriptionApprovalSaga {

    /** How long an approval may stay open; null means forever. Set by the application's configuration. */
    static volatile Duration approvalTimeout;

    private String subscriptionId;
    private String workflowReferenceId;

    @Inject
    private transient CommandGateway commandGateway;

    public static void approvalTimeout(Duration timeout) {
        approvalTimeout = timeout;
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "subscriptionId")
    public void on(SubscriptionCreated event) {
        if (event.status() != SubscriptionStatus.ON_HOLD) {
            SagaLifecycle.end();
            return;
        }
        open(event.subscriptionId(), event.tenant(), WorkflowType.AM_SUBSCRIPTION_CREATION,
                "Subscription of application " + event.applicationId() + " to API " + event.apiId()
                        + " with tier " + event.throttlingPolicy(),
                Map.of("subscriptionId", event.subscriptionId(), "apiId", event.apiId(),
                        "applicationId", event.applicationId(), "tier", event.throttlingPolicy(),
                        "subscriber", event.subscriber()));
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "subscriptionId")
    public void on(SubscriptionTierChangeRequested event) {
        open(event.subscriptionId(), event.tenant(), WorkflowType.AM_SUBSCRIPTION_UPDATE,
                "Tier change of subscription " + event.subscriptionId() + " to " + event.requestedTier(),
                Map.of("subscriptionId", event.subscriptionId(), "apiId", event.apiId(),
                        "applicationId", event.applicationId(), "tier", event.requestedTier()));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "workflowReferenceId")
    public void on(WorkflowCompleted event) {
        if (event.status() == WorkflowStatus.APPROVED) {
            commandGateway.sendAndWait(new ApproveSubscription(subscriptionId));
        } else {
            commandGateway.sendAndWait(new RejectSubscription(subscriptionId, event.description()));
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "subscriptionId")
    public void on(SubscriptionDeleted event) {
        commandGateway.sendAndWait(new CompleteWorkflow(workflowReferenceId, WorkflowStatus.REJECTED,
                "The subscription was deleted", "system"));
    }

    private void open(String subscriptionId, String tenant, WorkflowType type, String description,
                      Map<String, String> properties) {
        this.subscriptionId = subscriptionId;
        this.workflowReferenceId = UUID.randomUUID().toString();
        SagaLifecycle.associateWith("workflowReferenceId", workflowReferenceId);
        Duration timeout = approvalTimeout;
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        commandGateway.sendAndWait(new CreateWorkflow(workflowReferenceId, tenant, type, subscriptionId, description,
                properties, deadline));
    }
}
