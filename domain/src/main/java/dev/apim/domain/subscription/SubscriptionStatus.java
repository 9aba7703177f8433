package dev.apim.domain.subscription;

/** WSO2's subscription statuses. */
public enum SubscriptionStatus {
    /** Waiting for an approval workflow. */
    ON_HOLD,
    /** Active for production and sandbox keys. */
    UNBLOCKED,
    /** Blocked by the publisher for every key type. */
    BLOCKED,
    /** Blocked by the publisher for production keys only; sandbox keys keep working. */
    PROD_ONLY_BLOCKED,
    /** The approval workflow rejected the subscription. */
    REJECTED,
    /** A tier change waits for approval; the current tier stays in force meanwhile. */
    TIER_UPDATE_PENDING;

    /** Whether requests with a key of this type may pass. */
    public boolean allows(boolean productionKey) {
        return this == UNBLOCKED || this == TIER_UPDATE_PENDING || (this == PROD_ONLY_BLOCKED && !productionKey);
    }
}
