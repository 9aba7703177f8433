package dev.apim.domain.workflow;

/** WSO2's workflow types handled so far. */
public enum WorkflowType {
    AM_SUBSCRIPTION_CREATION,
    AM_SUBSCRIPTION_UPDATE
}
