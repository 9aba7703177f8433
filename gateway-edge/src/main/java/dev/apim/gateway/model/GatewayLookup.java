package dev.apim.gateway.model;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the request path may ask of the gateway's in-memory state (bootstrapped from the internal data endpoints,
 * then kept current from the broadcast stream). Every method is a memory lookup: no I/O, never blocks, safe from
 * any thread. The state only holds APIs deployed to this gateway's environment.
 */
public interface GatewayLookup {

    /** The event index the state reflects (every notification up to it is applied). */
    long index();

    /**
     * Whether the state has been loaded at least once. Before that every route is unknown, so a request would get a
     * misleading 404; the handler answers 503 instead (a balancer then tries another gateway).
     */
    default boolean isLoaded() {
        return true;
    }

    /** Every API deployed to this gateway's environment, as deployed (the revision's definition). */
    Collection<Api> apis();

    Optional<KeyMapping> keyMapping(String consumerKey);

    Optional<Application> application(String applicationId);

    /** The subscription of an application to an API, whatever its status. */
    Optional<Subscription> subscription(String applicationId, String apiId);

    Optional<Policy> policy(Policy.Level level, String tenant, String name);

    /** Enabled block conditions of a tenant. */
    List<BlockCondition> blockConditions(String tenant);

    /**
     * Whether a token is dead: its {@code jti} revoked, or issued (whole seconds) before its consumer key's
     * cut-off, or its consumer key unknown or inactive.
     */
    boolean isRevoked(String consumerKey, String jti, Instant issuedAt);
}
