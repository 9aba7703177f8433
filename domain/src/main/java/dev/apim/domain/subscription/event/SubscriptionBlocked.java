package dev.apim.domain.subscription.event;

/** The publisher blocked a subscription (BLOCKED, or PROD_ONLY_BLOCKED when production only). */
public record SubscriptionBlocked(String subscriptionId, String apiId, String applicationId, boolean productionOnly) {}
