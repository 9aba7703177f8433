package dev.apim.domain.api;

/** Test stand-in for the subscription claim table: says whether the API has live subscriptions. */
final class FixedSubscriptionCheck implements ApiSubscriptionCheck {

    boolean live;

    @Override
    public boolean hasLiveSubscriptions(String tenant, String apiId) {
        return live;
    }
}
