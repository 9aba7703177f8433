package dev.apim.platform.wso2.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * WSO2's {@code BlockingCondition} (Admin v4 deny policy). {@code conditionValue} is a string for API,
 * APPLICATION and USER conditions and an object for IP ({@code fixedIp, invert}) and IPRANGE
 * ({@code startingIp, endingIp, invert}); {@link DenyPolicyMapper} checks it.
 */
@JsonIgnoreProperties(value = {"conditionId"}, allowGetters = true)
public record BlockingConditionDto(String conditionId, String conditionType, Object conditionValue,
                                   Boolean conditionStatus) {}
