package dev.apim.platform.wso2.admin;

import java.util.Map;

/** WSO2's Admin v4 {@code Workflow} body of {@code POST /workflows/update-workflow-status}. */
public record WorkflowDecisionDto(String status, Map<String, String> attributes, String description) {}
