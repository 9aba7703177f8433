package dev.apim.gateway.model;

/**
 * An application's subscription to an API. {@code status} is WSO2's: UNBLOCKED, BLOCKED, PROD_ONLY_BLOCKED,
 * ON_HOLD, REJECTED, TIER_UPDATE_PENDING. {@code policy} is the subscription-level throttling policy name.
 */
public record Subscription(String subscriptionId, String apiId, String applicationId, String tenant, String policy,
                           String status) {}
