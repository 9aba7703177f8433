package dev.apim.domain.workflow;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An administrator (or an expired deadline) decides an open workflow. */
public record CompleteWorkflow(@TargetAggregateIdentifier String workflowReferenceId, WorkflowStatus status,
                               String description, String decidedBy) {}
