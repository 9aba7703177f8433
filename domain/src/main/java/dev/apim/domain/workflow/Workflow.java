package dev.apim.domain.workflow;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** An approval task: opened once for a reference (e.g. a subscription) and decided exactly once. */
public class Workflow {

    @AggregateIdentifier
    private String workflowReferenceId;
    private String tenant;
    private WorkflowType type;
    private String referenceId;
    private WorkflowStatus status;

    protected Workflow() {
    }

    @CommandHandler
    public Workflow(CreateWorkflow command) {
        if (command.workflowReferenceId() == null || command.workflowReferenceId().isBlank()
                || command.referenceId() == null || command.referenceId().isBlank() || command.type() == null
                || command.tenant() == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "A workflow needs an id, a tenant, a type and a reference");
        }
        apply(new WorkflowCreated(command.workflowReferenceId(), command.tenant(), command.type(), command.referenceId(),
                command.description(), command.properties() == null ? Map.of() : Map.copyOf(command.properties()),
                command.deadline()));
    }

    @CommandHandler
    public void handle(CompleteWorkflow command) {
        if (command.status() == null || command.status() == WorkflowStatus.CREATED) {
            throw DomainException.of(DomainError.INVALID_INPUT, "A workflow is completed as APPROVED or REJECTED");
        }
        if (status != WorkflowStatus.CREATED) {
            throw DomainException.of(DomainError.WORKFLOW_ALREADY_COMPLETED,
                    "Workflow %s is already %s", workflowReferenceId, status);
        }
        apply(new WorkflowCompleted(workflowReferenceId, tenant, type, referenceId, command.status(),
                command.description(), command.decidedBy()));
    }

    @EventSourcingHandler
    void on(WorkflowCreated event) {
        workflowReferenceId = event.workflowReferenceId();
        tenant = event.tenant();
        type = event.type();
        referenceId = event.referenceId();
        status = WorkflowStatus.CREATED;
    }

    @EventSourcingHandler
    void on(WorkflowCompleted event) {
        status = event.status();
    }
}
