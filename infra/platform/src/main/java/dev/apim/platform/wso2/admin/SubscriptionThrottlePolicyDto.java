package dev.apim.platform.wso2.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * WSO2 Admin v4's {@code SubscriptionThrottlePolicy}, plus {@code requiresApproval} (this project's addition:
 * subscriptions under the tier need approval). Monetization, permissions, subscriber count and GraphQL limits
 * are accepted and ignored; any other unknown field is refused.
 */
@JsonIgnoreProperties(value = {"monetization", "permissions", "subscriberCount", "graphQLMaxComplexity",
        "graphQLMaxDepth"})
public record SubscriptionThrottlePolicyDto(String policyId, String policyName, String displayName,
                                            String description, Boolean isDeployed, String type,
                                            ThrottleLimitDtos.ThrottleLimit defaultLimit, Integer rateLimitCount,
                                            String rateLimitTimeUnit,
                                            List<ThrottleLimitDtos.CustomAttribute> customAttributes,
                                            Boolean stopOnQuotaReach, String billingPlan,
                                            Boolean requiresApproval) {}
