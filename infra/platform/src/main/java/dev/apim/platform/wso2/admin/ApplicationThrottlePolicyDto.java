package dev.apim.platform.wso2.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * WSO2 Admin v4's {@code ApplicationThrottlePolicy}. {@code burstLimit} is accepted and ignored; {@code policyId},
 * {@code isDeployed} and {@code type} are output only. Any other unknown field is refused.
 */
@JsonIgnoreProperties(value = {"burstLimit"})
public record ApplicationThrottlePolicyDto(String policyId, String policyName, String displayName, String description,
                                           Boolean isDeployed, String type,
                                           ThrottleLimitDtos.ThrottleLimit defaultLimit) {}
