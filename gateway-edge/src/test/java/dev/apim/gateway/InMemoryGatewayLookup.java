package dev.apim.gateway;

import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.BlockCondition;
import dev.apim.gateway.model.GatewayLookup;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.gateway.model.Policy;
import dev.apim.gateway.model.Subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Test fixture: gateway state held in maps; every change moves the index, as a stream notification would. */
final class InMemoryGatewayLookup implements GatewayLookup {

    private final AtomicLong index = new AtomicLong();
    private final Map<String, Api> apis = new ConcurrentHashMap<>();
    private final Map<String, KeyMapping> keys = new ConcurrentHashMap<>();
    private final Map<String, Application> applications = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private final Map<String, List<BlockCondition>> blocks = new ConcurrentHashMap<>();
    private final Set<String> revokedJtis = ConcurrentHashMap.newKeySet();

    InMemoryGatewayLookup put(Api api) {
        apis.put(api.apiId(), api);
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup remove(String apiId) {
        apis.remove(apiId);
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup put(KeyMapping k) {
        keys.put(k.consumerKey(), k);
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup put(Application a) {
        applications.put(a.applicationId(), a);
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup put(Subscription s) {
        subscriptions.put(s.applicationId() + "|" + s.apiId(), s);
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup removeSubscription(String applicationId, String apiId) {
        subscriptions.remove(applicationId + "|" + apiId);
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup put(Policy p) {
        policies.put(p.level() + "|" + p.tenant() + "|" + p.name(), p);
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup block(BlockCondition b) {
        blocks.compute(b.tenant(), (t, l) -> {
            List<BlockCondition> n = new ArrayList<>(l == null ? List.of() : l);
            n.add(b);
            return List.copyOf(n);
        });
        index.incrementAndGet();
        return this;
    }

    InMemoryGatewayLookup revoke(String jti) {
        revokedJtis.add(jti);
        index.incrementAndGet();
        return this;
    }

    @Override
    public long index() {
        return index.get();
    }

    @Override
    public Collection<Api> apis() {
        return List.copyOf(apis.values());
    }

    @Override
    public Optional<KeyMapping> keyMapping(String consumerKey) {
        return Optional.ofNullable(keys.get(consumerKey));
    }

    @Override
    public Optional<Application> application(String applicationId) {
        return Optional.ofNullable(applications.get(applicationId));
    }

    @Override
    public Optional<Subscription> subscription(String applicationId, String apiId) {
        return Optional.ofNullable(subscriptions.get(applicationId + "|" + apiId));
    }

    @Override
    public Optional<Policy> policy(Policy.Level level, String tenant, String name) {
        return Optional.ofNullable(policies.get(level + "|" + tenant + "|" + name));
    }

    @Override
    public List<BlockCondition> blockConditions(String tenant) {
        return blocks.getOrDefault(tenant, List.of());
    }

    @Override
    public boolean isRevoked(String consumerKey, String jti, Instant issuedAt) {
        KeyMapping k = keys.get(consumerKey);
        return k == null || !k.active() || revokedJtis.contains(jti);
    }
}
