package dev.apim.domain.subscription.event;

import dev.apim.domain.subscription.SubscriptionStatus;

/** An application subscribed to an API; ON_HOLD when the tier needs approval, else UNBLOCKED. */
public record SubscriptionCreated(String subscriptionId, String tenant, String apiId, String applicationId, String throttlingPolicy, SubscriptionStatus status, String subscriber) {}
