package dev.apim.platform.broadcast;

import java.util.List;
import java.util.Map;

/**
 * The wire shapes of the internal data endpoints ({@code /internal/data/v1/...}), read by gateways. Every answer
 * is stamped with the global event index the read model reflected when it was read.
 */
public final class InternalData {

    private InternalData() {}

    public static final String BASE = "/internal/data/v1";

    /** A list of one family, stamped. */
    public record Page<T>(long index, List<T> list) {}

    /** One entity, stamped; {@code item} is null when it does not exist (or is not served, for APIs). */
    public record One<T>(long index, T item) {}

    /** Every family at one index (one transaction). */
    public record Snapshot(long index, String environment, List<ApiItem> apis, List<ApplicationItem> applications,
                           List<SubscriptionItem> subscriptions, List<KeyMappingItem> keyMappings,
                           List<PolicyItem> policies, List<BlockConditionItem> blockConditions,
                           List<RevokedTokenItem> revokedTokens, List<CutoffItem> cutoffs) {}

    /** The revision of an API deployed to the environment (see the gateway's {@code model.Api}). */
    public record ApiItem(String apiId, String tenant, String name, String context, String version,
                          boolean defaultVersion, String lifecycleStatus, String revisionId, String apiPolicy,
                          String productionUrl, String sandboxUrl, List<ResourceItem> resources) {}

    public record ResourceItem(String verb, String uriTemplate, boolean secured, String policy, List<String> scopes) {}

    public record ApplicationItem(String applicationId, String tenant, String name, String owner, String policy) {}

    public record SubscriptionItem(String subscriptionId, String apiId, String applicationId, String tenant,
                                   String policy, String status) {}

    /** {@code keyType} PRODUCTION or SANDBOX. */
    public record KeyMappingItem(String consumerKey, String applicationId, String tenant, String keyType,
                                 boolean active) {}

    /** {@code level} APPLICATION, SUBSCRIPTION or API; {@code defaultLimit} null for Unlimited. */
    public record PolicyItem(String policyId, String level, String tenant, String name, LimitItem defaultLimit,
                             LimitItem burst, boolean stopOnQuotaReach, List<GroupItem> conditionalGroups) {}

    /** {@code type} REQUEST_COUNT (amount in requests) or BANDWIDTH (amount in bytes), per {@code windowMillis}. */
    public record LimitItem(String type, long amount, long windowMillis) {}

    public record GroupItem(String description, List<Map<String, Object>> conditions, LimitItem limit) {}

    /** {@code type} API, APPLICATION, IP, IPRANGE or USER; {@code value} as the gateway's model describes. */
    public record BlockConditionItem(String conditionId, String tenant, String type, String value, boolean invert) {}

    public record RevokedTokenItem(String jti, String consumerKey, String tenant, java.time.Instant expiresAt) {}

    public record CutoffItem(String consumerKey, String tenant, java.time.Instant issuedBefore) {}
}
