package dev.apim.sagas;

import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.command.ApproveSubscription;
import dev.apim.domain.subscription.command.RejectSubscription;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRequested;
import dev.apim.domain.workflow.CompleteWorkflow;
import dev.apim.domain.workflow.CreateWorkflow;
import dev.apim.domain.workflow.WorkflowCompleted;
import dev.apim.domain.workflow.WorkflowStatus;
import dev.apim.domain.workflow.WorkflowType;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.test.saga.SagaTestFixture;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;


class SubscriptionApprovalSagaTest {

    private static final String SUB = "sub-1";
    private SagaTestFixture<SubscriptionApprovalSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(SubscriptionApprovalSaga.class);
    }

    private static SubscriptionCreated created(SubscriptionStatus status) {
        return new SubscriptionCreated(SUB, "carbon.super", "api-1", "app-1", "Approved", status, "alice");
    }

    @Test
    void an_active_subscription_needs_no_workflow() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(created(SubscriptionStatus.UNBLOCKED))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }

    @Test
    void a_subscription_on_hold_opens_a_subscription_creation_workflow() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(created(SubscriptionStatus.ON_HOLD))
                .expectActiveSagas(1);
        CreateWorkflow opened = lastWorkflow(fixture);
        assertThat(opened.type()).isEqualTo(WorkflowType.AM_SUBSCRIPTION_CREATION);
        assertThat(opened.referenceId()).isEqualTo(SUB);
        assertThat(opened.tenant()).isEqualTo("carbon.super");
        assertThat(opened.properties()).containsEntry("tier", "Approved").containsEntry("subscriber", "alice");
    }

    @Test
    void approval_activates_and_rejection_rejects_the_subscription() {
        fixture.givenAggregate(SUB).published(created(SubscriptionStatus.ON_HOLD));
        String workflow = workflowOpenedBy(fixture);
        fixture.whenPublishingA(new WorkflowCompleted(workflow, "carbon.super", WorkflowType.AM_SUBSCRIPTION_CREATION,
                        SUB, WorkflowStatus.APPROVED, "ok", "admin"))
                .expectDispatchedCommands(new ApproveSubscription(SUB))
                .expectActiveSagas(0);

        setUp();
        fixture.givenAggregate(SUB).published(created(SubscriptionStatus.ON_HOLD));
        String rejected = workflowOpenedBy(fixture);
        fixture.whenPublishingA(new WorkflowCompleted(rejected, "carbon.super", WorkflowType.AM_SUBSCRIPTION_CREATION,
                        SUB, WorkflowStatus.REJECTED, "not now", "admin"))
                .expectDispatchedCommands(new RejectSubscription(SUB, "not now"))
                .expectActiveSagas(0);
    }

    @Test
    void a_tier_change_waiting_for_approval_opens_an_update_workflow() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(new SubscriptionTierChangeRequested(SUB, "carbon.super", "api-1", "app-1", "Approved"))
                .expectActiveSagas(1);
        assertThat(lastWorkflow(fixture).type()).isEqualTo(WorkflowType.AM_SUBSCRIPTION_UPDATE);
    }

    @Test
    void deleting_the_subscription_closes_its_workflow_as_rejected() {
        fixture.givenAggregate(SUB).published(created(SubscriptionStatus.ON_HOLD));
        String workflow = workflowOpenedBy(fixture);
        fixture.whenPublishingA(new SubscriptionDeleted(SUB, "carbon.super", "api-1", "app-1"))
                .expectDispatchedCommands(new CompleteWorkflow(workflow, WorkflowStatus.REJECTED,
                        "The subscription was deleted", "system"))
                .expectActiveSagas(0);
    }

    /** The id of the workflow the saga opened, from the commands it dispatched so far. */
    private static String workflowOpenedBy(SagaTestFixture<SubscriptionApprovalSaga> fixture) {
        return lastWorkflow(fixture).workflowReferenceId();
    }

    private static CreateWorkflow lastWorkflow(SagaTestFixture<SubscriptionApprovalSaga> fixture) {
        RecordingCommandBus bus = (RecordingCommandBus) fixture.getCommandBus();
        return bus.getDispatchedCommands().stream()
                .map(CommandMessage::getPayload)
                .filter(CreateWorkflow.class::isInstance)
                .map(CreateWorkflow.class::cast)
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("the saga opened no workflow"));
    }
}
