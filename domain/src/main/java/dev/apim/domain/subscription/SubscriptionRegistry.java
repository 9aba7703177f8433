package dev.apim.domain.subscription;

/**
 * Port for the set-based rule "one subscription per API and application". Implemented with a claim table
 * written in the command's transaction.
 */
public interface SubscriptionRegistry {

    /** Claims the pair, or throws {@code DomainException(SUBSCRIPTION_ALREADY_EXISTS)}. */
    void claim(String tenant, String apiId, String applicationId, String subscriptionId);

    /** Releases the pair held by the subscription; nothing happens when it holds none. */
    void release(String tenant, String apiId, String applicationId, String subscriptionId);
}
