package dev.apim.domain.subscription.event;

/** A subscription ended. */
public record SubscriptionDeleted(String subscriptionId, String tenant, String apiId, String applicationId) {}
