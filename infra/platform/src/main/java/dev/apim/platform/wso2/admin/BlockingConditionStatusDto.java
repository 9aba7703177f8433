package dev.apim.platform.wso2.admin;

/** WSO2's {@code BlockingConditionStatus}: the body of {@code PATCH /throttling/deny-policy/{conditionId}}. */
public record BlockingConditionStatusDto(String conditionId, Boolean conditionStatus) {}
