package dev.apim.domain.workflow;

/** An approval task was decided (APPROVED or REJECTED). */
public record WorkflowCompleted(String workflowReferenceId, String tenant, WorkflowType type, String referenceId,
                                WorkflowStatus status, String description, String decidedBy) {}
