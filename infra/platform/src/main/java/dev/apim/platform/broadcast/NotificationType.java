package dev.apim.platform.broadcast;

/**
 * The kinds of controller notification on the broadcast stream (WSO2's event types). Notifications of an entity
 * family carry ids only: a gateway re-reads the entity from the internal data endpoints. Revocations carry their
 * full data and are applied as they are.
 */
public enum NotificationType {
    /** The API's working copy or lifecycle changed (a BLOCKED, DEPRECATED or RETIRED API changes what is served). */
    API_UPDATE(Family.API),
    API_LIFECYCLE_CHANGE(Family.API),
    API_DELETE(Family.API),
    /** A revision was deployed to environments ({@code environments}, comma separated; {@code revisionId}). */
    DEPLOY_API_IN_GATEWAY(Family.API),
    /** A revision was undeployed from environments ({@code environments}, comma separated). */
    REMOVE_API_FROM_GATEWAY(Family.API),
    APPLICATION_CREATE(Family.APPLICATION),
    APPLICATION_UPDATE(Family.APPLICATION),
    APPLICATION_DELETE(Family.APPLICATION),
    SUBSCRIPTIONS_CREATE(Family.SUBSCRIPTION),
    SUBSCRIPTIONS_UPDATE(Family.SUBSCRIPTION),
    SUBSCRIPTIONS_DELETE(Family.SUBSCRIPTION),
    /** Key mappings: the id is the consumer key. */
    APPLICATION_REGISTRATION_CREATE(Family.KEY_MAPPING),
    APPLICATION_REGISTRATION_UPDATE(Family.KEY_MAPPING),
    APPLICATION_REGISTRATION_DELETE(Family.KEY_MAPPING),
    /** Throttling policies: the id is the policy id, {@code level} and {@code name} are in the data. */
    POLICY_CREATE(Family.POLICY),
    POLICY_UPDATE(Family.POLICY),
    POLICY_DELETE(Family.POLICY),
    BLOCK_CONDITION_ADD(Family.BLOCK_CONDITION),
    BLOCK_CONDITION_UPDATE(Family.BLOCK_CONDITION),
    BLOCK_CONDITION_DELETE(Family.BLOCK_CONDITION),
    /** One token revoked: id is the jti; data {@code consumerKey}, {@code expiresAt} (ISO-8601). */
    TOKEN_REVOCATION(Family.REVOCATION),
    /** Every token of a consumer key issued up to a cut-off: id is the consumer key; data {@code issuedBefore}. */
    TOKEN_REVOCATION_CUTOFF(Family.REVOCATION);

    /** What a notification is about, i.e. what a consumer re-reads. */
    public enum Family { API, APPLICATION, SUBSCRIPTION, KEY_MAPPING, POLICY, BLOCK_CONDITION, REVOCATION }

    private final Family family;

    NotificationType(Family family) {
        this.family = family;
    }

    public Family family() {
        return family;
    }
}
