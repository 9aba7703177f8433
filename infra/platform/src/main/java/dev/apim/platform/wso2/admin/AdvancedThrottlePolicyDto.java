package dev.apim.platform.wso2.admin;

import java.util.List;

/** WSO2 Admin v4's {@code AdvancedThrottlePolicy} (API- and resource-level). Unknown fields are refused. */
public record AdvancedThrottlePolicyDto(String policyId, String policyName, String displayName, String description,
                                        Boolean isDeployed, String type, ThrottleLimitDtos.ThrottleLimit defaultLimit,
                                        List<ThrottleLimitDtos.ConditionalGroup> conditionalGroups) {}
