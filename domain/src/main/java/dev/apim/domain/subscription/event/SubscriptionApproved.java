package dev.apim.domain.subscription.event;

/** A subscription waiting for approval became active (UNBLOCKED). */
public record SubscriptionApproved(String subscriptionId, String apiId, String applicationId) {}
