package dev.apim.domain.subscription.event;

import org.axonframework.serialization.Revision;

/**
 * The publisher blocked a subscription (BLOCKED, or PROD_ONLY_BLOCKED when production only). Revision 2 added
 * {@code tenant}; the revision-less form is upcast by {@code SubscriptionBlockedTenantUpcaster} (event-store).
 */
@Revision("2")
public record SubscriptionBlocked(String subscriptionId, String tenant, String apiId, String applicationId,
                                  boolean productionOnly) {}
