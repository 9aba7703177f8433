package dev.apim.domain.api;

/**
 * Port: whether an API still has live subscriptions (any not deleted or rejected). Deleting such an API is
 * refused. The command side answers from the subscription claim table, consistent with the event store.
 */
public interface ApiSubscriptionCheck {
    boolean hasLiveSubscriptions(String tenant, String apiId);
}
