package dev.apim.domain.workflow;

import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

class WorkflowTest {

    private static final WorkflowCreated OPENED = new WorkflowCreated("wf-1", "carbon.super",
            WorkflowType.AM_SUBSCRIPTION_CREATION, "sub-1", "Gold for app", Map.of("tier", "Gold"), null);
    private AggregateTestFixture<Workflow> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Workflow.class);
    }

    @Test
    void a_workflow_is_opened_for_a_reference() {
        fixture.givenNoPriorActivity()
                .when(new CreateWorkflow("wf-1", "carbon.super", WorkflowType.AM_SUBSCRIPTION_CREATION, "sub-1",
                        "Gold for app", Map.of("tier", "Gold"), null))
                .expectEvents(OPENED);
    }

    @Test
    void an_open_workflow_is_decided_once() {
        fixture.given(OPENED)
                .when(new CompleteWorkflow("wf-1", WorkflowStatus.APPROVED, "ok", "admin"))
                .expectEvents(new WorkflowCompleted("wf-1", "carbon.super", WorkflowType.AM_SUBSCRIPTION_CREATION,
                        "sub-1", WorkflowStatus.APPROVED, "ok", "admin"));
    }

    @Test
    void a_decided_workflow_cannot_be_decided_again() {
        fixture.given(OPENED, new WorkflowCompleted("wf-1", "carbon.super", WorkflowType.AM_SUBSCRIPTION_CREATION,
                        "sub-1", WorkflowStatus.REJECTED, "no", "admin"))
                .when(new CompleteWorkflow("wf-1", WorkflowStatus.APPROVED, "ok", "admin"))
                .expectNoEvents().expectException(DomainException.class);
    }

    @Test
    void completing_as_created_is_refused() {
        fixture.given(OPENED)
                .when(new CompleteWorkflow("wf-1", WorkflowStatus.CREATED, null, "admin"))
                .expectNoEvents().expectException(DomainException.class);
    }
}
