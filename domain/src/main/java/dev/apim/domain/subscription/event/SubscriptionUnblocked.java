package dev.apim.domain.subscription.event;

/** The publisher lifted a block (UNBLOCKED). */
public record SubscriptionUnblocked(String subscriptionId, String apiId, String applicationId) {}
