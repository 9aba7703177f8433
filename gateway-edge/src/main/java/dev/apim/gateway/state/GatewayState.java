package dev.apim.gateway.state;

import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.BlockCondition;
import dev.apim.gateway.model.GatewayLookup;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.gateway.model.Policy;
import dev.apim.gateway.model.Subscription;
import dev.apim.platform.broadcast.InternalData;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's in-memory state. Reads are lock-free map lookups on the current {@link Tables}; a bootstrap builds
 * new tables and swaps them in atomically, the {@link BroadcastFollower} (the only writer) then changes them one
 * entity at a time. A reader may see one notification half-applied (e.g. a subscription before its application),
 * never a torn entity: every value is an immutable record.
 */
public class GatewayState implements GatewayLookup {

    private final Clock clock;
    private final AtomicReference<Tables> tables = new AtomicReference<>(new Tables(0));
    /** Set by the first {@link #replace}: until then the node answers 503, not 404 (see {@link #isLoaded()}). */
    private volatile boolean loaded;

    public GatewayState() {
        this(Clock.systemUTC());
    }

    public GatewayState(Clock clock) {
        this.clock = clock;
    }

    /** Everything the gateway knows, keyed for its lookups. */
    static final class Tables {
        volatile long index;
        final Map<String, Api> apis = new ConcurrentHashMap<>();
        final Collection<Api> apiView = Collections.unmodifiableCollection(apis.values());
        final Map<String, Application> applications = new ConcurrentHashMap<>();
        final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
        final Map<String, Subscription> subscriptionByPair = new ConcurrentHashMap<>();
        final Map<String, KeyMapping> keyMappings = new ConcurrentHashMap<>();
        final Map<PolicyKey, Policy> policies = new ConcurrentHashMap<>();
        final Map<String, PolicyKey> policyIds = new ConcurrentHashMap<>();
        final Map<String, BlockCondition> blockConditions = new ConcurrentHashMap<>();
        final Map<String, List<BlockCondition>> blockConditionsByTenant = new ConcurrentHashMap<>();
        final Map<String, Instant> revokedJtis = new ConcurrentHashMap<>();
        final Map<String, Instant> cutoffs = new ConcurrentHashMap<>();

        Tables(long index) {
            this.index = index;
        }
    }

    record PolicyKey(Policy.Level level, String tenant, String name) {}

    private static String pair(String applicationId, String apiId) {
        return applicationId + '\n' + apiId;
    }

    // ---- GatewayLookup ----

    @Override
    public long index() {
        return tables.get().index;
    }

    @Override
    public Collection<Api> apis() {
        return tables.get().apiView;
    }

    /** The API with this id, if deployed to this gateway's environment. */
    public Optional<Api> api(String apiId) {
        return Optional.ofNullable(tables.get().apis.get(apiId));
    }

    @Override
    public Optional<KeyMapping> keyMapping(String consumerKey) {
        return consumerKey == null ? Optional.empty() : Optional.ofNullable(tables.get().keyMappings.get(consumerKey));
    }

    @Override
    public Optional<Application> application(String applicationId) {
        return applicationId == null ? Optional.empty()
                : Optional.ofNullable(tables.get().applications.get(applicationId));
    }

    @Override
    public Optional<Subscription> subscription(String applicationId, String apiId) {
        return Optional.ofNullable(tables.get().subscriptionByPair.get(pair(applicationId, apiId)));
    }

    @Override
    public Optional<Policy> policy(Policy.Level level, String tenant, String name) {
        return Optional.ofNullable(tables.get().policies.get(new PolicyKey(level, tenant, name)));
    }

    @Override
    public List<BlockCondition> blockConditions(String tenant) {
        return tables.get().blockConditionsByTenant.getOrDefault(tenant, List.of());
    }

    /**
     * Revoked when the consumer key is unknown or inactive, the jti is revoked, or the token was issued before the
     * consumer key's cut-off (a missing iat counts as before). Cut-offs are whole seconds (the Key Manager cuts at the
     * second of a secret regeneration), like iat, so a token issued in the cut-off's own second survives, as in
     * the Key Manager's {@code TokenRevocationStore}.
     */
    @Override
    public boolean isRevoked(String consumerKey, String jti, Instant issuedAt) {
        Tables t = tables.get();
        KeyMapping mapping = consumerKey == null ? null : t.keyMappings.get(consumerKey);
        if (mapping == null || !mapping.active()) {
            return true;
        }
        if (jti != null && t.revokedJtis.containsKey(jti)) {
            return true;
        }
        Instant cutoff = t.cutoffs.get(consumerKey);
        return cutoff != null && (issuedAt == null || issuedAt.isBefore(cutoff));
    }

    // ---- writes: a bootstrap replaces, the follower applies ----

    /** Replaces the whole state with a snapshot, atomically. */
    public void replace(InternalData.Snapshot snapshot) {
        Tables t = new Tables(snapshot.index());
        snapshot.apis().forEach(a -> t.apis.put(a.apiId(), WireMapping.api(a)));
        snapshot.applications().forEach(a -> t.applications.put(a.applicationId(), WireMapping.application(a)));
        snapshot.subscriptions().forEach(s -> putSubscription(t, WireMapping.subscription(s)));
        snapshot.keyMappings().forEach(k -> t.keyMappings.put(k.consumerKey(), WireMapping.keyMapping(k)));
        snapshot.policies().forEach(p -> putPolicy(t, p.policyId(), WireMapping.policy(p)));
        snapshot.blockConditions().forEach(b -> t.blockConditions.put(b.conditionId(), WireMapping.blockCondition(b)));
        t.blockConditions.values().stream().map(BlockCondition::tenant).distinct()
                .forEach(tenant -> reindexBlockConditions(t, tenant));
        snapshot.revokedTokens().forEach(r -> t.revokedJtis.put(r.jti(), r.expiresAt()));
        snapshot.cutoffs().forEach(c -> t.cutoffs.put(c.consumerKey(), c.issuedBefore()));
        tables.set(t);
        loaded = true;
    }

    @Override
    public boolean isLoaded() {
        return loaded;
    }

    void advanceTo(long index) {
        Tables t = tables.get();
        if (index > t.index) {
            t.index = index;
        }
    }

    void putApi(Api api) {
        tables.get().apis.put(api.apiId(), api);
    }

    void removeApi(String apiId) {
        tables.get().apis.remove(apiId);
    }

    void putApplication(Application application) {
        tables.get().applications.put(application.applicationId(), application);
    }

    void removeApplication(String applicationId) {
        tables.get().applications.remove(applicationId);
    }

    void putSubscription(Subscription subscription) {
        putSubscription(tables.get(), subscription);
    }

    private static void putSubscription(Tables t, Subscription s) {
        Subscription old = t.subscriptions.put(s.subscriptionId(), s);
        if (old != null && !pair(old.applicationId(), old.apiId()).equals(pair(s.applicationId(), s.apiId()))) {
            t.subscriptionByPair.remove(pair(old.applicationId(), old.apiId()), old);
        }
        t.subscriptionByPair.put(pair(s.applicationId(), s.apiId()), s);
    }

    void removeSubscription(String subscriptionId) {
        Tables t = tables.get();
        Subscription old = t.subscriptions.remove(subscriptionId);
        if (old != null) {
            t.subscriptionByPair.remove(pair(old.applicationId(), old.apiId()), old);
        }
    }

    void putKeyMapping(KeyMapping mapping) {
        tables.get().keyMappings.put(mapping.consumerKey(), mapping);
    }

    void removeKeyMapping(String consumerKey) {
        tables.get().keyMappings.remove(consumerKey);
    }

    void putPolicy(String policyId, Policy policy) {
        putPolicy(tables.get(), policyId, policy);
    }

    private static void putPolicy(Tables t, String policyId, Policy policy) {
        PolicyKey key = new PolicyKey(policy.level(), policy.tenant(), policy.name());
        PolicyKey old = t.policyIds.put(policyId, key);
        if (old != null && !old.equals(key)) {
            t.policies.remove(old);
        }
        t.policies.put(key, policy);
    }

    void removePolicy(String policyId) {
        Tables t = tables.get();
        PolicyKey old = t.policyIds.remove(policyId);
        if (old != null) {
            t.policies.remove(old);
        }
    }

    void putBlockCondition(BlockCondition condition) {
        Tables t = tables.get();
        BlockCondition old = t.blockConditions.put(condition.conditionId(), condition);
        reindexBlockConditions(t, condition.tenant());
        if (old != null && !old.tenant().equals(condition.tenant())) {
            reindexBlockConditions(t, old.tenant());
        }
    }

    void removeBlockCondition(String conditionId) {
        Tables t = tables.get();
        BlockCondition old = t.blockConditions.remove(conditionId);
        if (old != null) {
            reindexBlockConditions(t, old.tenant());
        }
    }

    private static void reindexBlockConditions(Tables t, String tenant) {
        List<BlockCondition> list = new ArrayList<>();
        for (BlockCondition b : t.blockConditions.values()) {
            if (b.tenant().equals(tenant)) {
                list.add(b);
            }
        }
        if (list.isEmpty()) {
            t.blockConditionsByTenant.remove(tenant);
        } else {
            list.sort(java.util.Comparator.comparing(BlockCondition::conditionId));
            t.blockConditionsByTenant.put(tenant, List.copyOf(list));
        }
    }

    void revokeToken(String jti, Instant expiresAt) {
        tables.get().revokedJtis.put(jti, expiresAt);
    }

    void revokeIssuedBefore(String consumerKey, Instant issuedBefore) {
        tables.get().cutoffs.merge(consumerKey, issuedBefore, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Drops revoked jtis whose tokens have expired (they fail on expiry anyway). */
    public void purgeExpired() {
        Instant now = clock.instant();
        tables.get().revokedJtis.values().removeIf(expiresAt -> expiresAt != null && expiresAt.isBefore(now));
    }

    /**
     * Everything the state holds, in a comparable form (sorted maps of immutable records; revoked tokens that have
     * expired are left out, as the internal endpoints leave them out): two states that answer every lookup the
     * same have equal dumps. The index is not part of it.
     */
    public Map<String, Object> dump() {
        Tables t = tables.get();
        Instant now = clock.instant();
        Map<String, Object> dump = new TreeMap<>();
        dump.put("apis", new TreeMap<>(t.apis));
        dump.put("applications", new TreeMap<>(t.applications));
        dump.put("subscriptions", new TreeMap<>(t.subscriptions));
        dump.put("keyMappings", new TreeMap<>(t.keyMappings));
        Map<String, Policy> policies = new TreeMap<>();
        t.policies.forEach((k, v) -> policies.put(k.level() + "/" + k.tenant() + "/" + k.name(), v));
        dump.put("policies", policies);
        dump.put("blockConditions", new TreeMap<>(t.blockConditions));
        Map<String, Instant> revoked = new TreeMap<>();
        t.revokedJtis.forEach((jti, exp) -> {
            if (exp == null || exp.isAfter(now)) {
                revoked.put(jti, exp);
            }
        });
        dump.put("revokedTokens", revoked);
        dump.put("cutoffs", new TreeMap<>(t.cutoffs));
        return dump;
    }
}
