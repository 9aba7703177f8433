package dev.apim.domain.workflow;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;

/** Opens an approval task (WSO2's workflow) for a change that waits on an administrator. */
public record CreateWorkflow(@TargetAggregateIdentifier String workflowReferenceId, String tenant, WorkflowType type,
                             String referenceId, String description, Map<String, String> properties,
                             Instant deadline) {}
