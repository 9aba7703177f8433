package dev.apim.domain.workflow;

/** WSO2's workflow statuses. */
public enum WorkflowStatus {
    CREATED,
    APPROVED,
    REJECTED
}
