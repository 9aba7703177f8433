package dev.apim.domain.workflow;

import java.time.Instant;
import java.util.Map;

/** An approval task was opened; {@code deadline} is null when it never expires. */
public record WorkflowCreated(String workflowReferenceId, String tenant, WorkflowType type, String referenceId,
                              String description, Map<String, String> properties, Instant deadline) {}
