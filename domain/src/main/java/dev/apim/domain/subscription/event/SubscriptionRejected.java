package dev.apim.domain.subscription.event;

/** A subscription waiting for approval was rejected (REJECTED). */
public record SubscriptionRejected(String subscriptionId, String apiId, String applicationId, String reason) {}
