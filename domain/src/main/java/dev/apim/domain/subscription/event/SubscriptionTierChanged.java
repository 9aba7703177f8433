package dev.apim.domain.subscription.event;

/** The subscription now uses another tier. */
public record SubscriptionTierChanged(String subscriptionId, String apiId, String applicationId, String throttlingPolicy) {}
