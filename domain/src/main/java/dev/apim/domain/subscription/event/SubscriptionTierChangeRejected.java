package dev.apim.domain.subscription.event;

/** A pending tier change was rejected; the subscription keeps its tier and former status. */
public record SubscriptionTierChangeRejected(String subscriptionId, String apiId, String applicationId, String requestedTier) {}
