package dev.apim.platform.wso2.admin;

import java.util.Map;

/** WSO2's Admin v4 {@code WorkflowInfo}: one approval task; {@code referenceId} is its workflow reference id. */
public record WorkflowInfoDto(String workflowType, String workflowStatus, String createdTime, String updatedTime,
                              String referenceId, Map<String, String> properties, String description) {}
