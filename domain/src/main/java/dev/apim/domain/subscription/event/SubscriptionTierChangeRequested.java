package dev.apim.domain.subscription.event;

/** A tier change waits for approval (TIER_UPDATE_PENDING); the current tier stays in force. */
public record SubscriptionTierChangeRequested(String subscriptionId, String tenant, String apiId, String applicationId, String requestedTier) {}
