package dev.apim.bench.replay;

import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiDocument;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.LifecycleAction;
import dev.apim.domain.api.RevisionDeployment;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDocumentAdded;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiRevisionCreated;
import dev.apim.domain.api.event.ApiRevisionDeleted;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiRevisionUndeployed;
import dev.apim.domain.api.event.ApiUpdated;
import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.application.event.ApplicationUpdated;
import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;
import dev.apim.domain.blockcondition.event.BlockConditionCreated;
import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.policy.ThrottleLimit;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.domain.policy.event.ThrottlePolicyCreated;
import dev.apim.domain.policy.event.ThrottlePolicyUpdated;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.domain.subscription.event.SubscriptionUnblocked;
import dev.apim.domain.user.User;
import dev.apim.domain.user.UserPasswordChanged;
import dev.apim.domain.user.UserRegistered;
import dev.apim.eventstore.AuditMetadata;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * One worker's share of the generated history: its own tenants' users, policies, APIs, applications,
 * subscriptions and keys, evolved by a weighted random mix of what publishers and subscribers do. Every event is
 * one the aggregates would emit at that point (valid lifecycle transitions, subscriptions only to published APIs,
 * one per API and application, one key mapping per application and key type, at most five revisions), with
 * consecutive sequence numbers per aggregate and {@link AuditMetadata} like the REST edge attaches. Workers never
 * share aggregates, so their appends may interleave freely.
 */
final class EventMix {

    /** Weights of the actions, in per mille; an impossible action falls back to creating something. */
    private static final int[][] WEIGHTS = {
            {Action.REGISTER_USER, 20}, {Action.CHANGE_PASSWORD, 10}, {Action.CREATE_POLICY, 5},
            {Action.UPDATE_POLICY, 5}, {Action.CREATE_API, 50}, {Action.UPDATE_API, 200},
            {Action.CHANGE_LIFECYCLE, 50}, {Action.CREATE_REVISION, 60}, {Action.DEPLOY_REVISION, 60},
            {Action.ADD_DOCUMENT, 30}, {Action.CREATE_APPLICATION, 80}, {Action.UPDATE_APPLICATION, 40},
            {Action.SUBSCRIBE, 200}, {Action.CHANGE_TIER, 40}, {Action.BLOCK_SUBSCRIPTION, 30},
            {Action.UNSUBSCRIBE, 20}, {Action.GENERATE_KEYS, 90}, {Action.BLOCK_CONDITION, 10},
    };
    private static final int TOTAL_WEIGHT;

    static {
        int total = 0;
        for (int[] w : WEIGHTS) {
            total += w[1];
        }
        TOTAL_WEIGHT = total;
    }

    /** Action numbers (ints keep the weight table compact). */
    private static final class Action {
        static final int REGISTER_USER = 0, CHANGE_PASSWORD = 1, CREATE_POLICY = 2, UPDATE_POLICY = 3,
                CREATE_API = 4, UPDATE_API = 5, CHANGE_LIFECYCLE = 6, CREATE_REVISION = 7, DEPLOY_REVISION = 8,
                ADD_DOCUMENT = 9, CREATE_APPLICATION = 10, UPDATE_APPLICATION = 11, SUBSCRIBE = 12, CHANGE_TIER = 13,
                BLOCK_SUBSCRIPTION = 14, UNSUBSCRIBE = 15, GENERATE_KEYS = 16, BLOCK_CONDITION = 17;
    }

    private static final String PASSWORD_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFy";
    private static final List<String> TIERS = List.of("Gold", "Silver", "Bronze", "Unlimited");

    private final int worker;
    private final Random random;
    private final List<String> tenants;
    private long clock;
    private int counter;

    private final Map<String, Long> sequences = new HashMap<>();
    private final List<UserState> users = new ArrayList<>();
    private final List<PolicyState> policies = new ArrayList<>();
    private final List<ApiState> apis = new ArrayList<>();
    private final List<ApiState> published = new ArrayList<>();
    private final List<AppState> apps = new ArrayList<>();
    private final List<SubState> subs = new ArrayList<>();
    private final Set<String> subscribedPairs = new HashSet<>();
    private final Set<String> keyedApps = new HashSet<>();

    EventMix(int worker, long seed, List<String> tenants, Instant start) {
        this.worker = worker;
        this.random = new Random(seed * 31 + worker);
        this.tenants = List.copyOf(tenants);
        this.clock = start.toEpochMilli();
    }

    /** Appends at least {@code max(1, n)} events (an action emits one to three) to {@code out}; returns how many. */
    int next(List<DomainEventMessage<?>> out, int n) {
        int before = out.size();
        while (out.size() - before < n) {
            step(out);
        }
        return out.size() - before;
    }

    private void step(List<DomainEventMessage<?>> out) {
        int pick = random.nextInt(TOTAL_WEIGHT);
        int action = 0;
        for (int[] w : WEIGHTS) {
            if (pick < w[1]) {
                action = w[0];
                break;
            }
            pick -= w[1];
        }
        if (!perform(action, out)) {
            perform(users.size() < 5 ? Action.REGISTER_USER
                    : apis.size() < 5 || published.isEmpty() ? Action.CREATE_API
                    : apps.isEmpty() ? Action.CREATE_APPLICATION : Action.UPDATE_API, out);
        }
    }

    private boolean perform(int action, List<DomainEventMessage<?>> out) {
        switch (action) {
            case Action.REGISTER_USER -> registerUser(out);
            case Action.CHANGE_PASSWORD -> {
                if (users.isEmpty()) return false;
                UserState u = any(users);
                emit(out, "User", u.id, u.tenant, u.username,
                        new UserPasswordChanged(u.id, u.tenant, u.username, PASSWORD_HASH));
            }
            case Action.CREATE_POLICY -> createPolicy(out);
            case Action.UPDATE_POLICY -> {
                if (policies.isEmpty()) return false;
                PolicyState p = any(policies);
                emit(out, "ThrottlePolicy", p.id, p.tenant, "admin", new ThrottlePolicyUpdated(p.id, p.tenant,
                        Level.SUBSCRIPTION, policy(p.name, 100 + random.nextInt(10_000))));
            }
            case Action.CREATE_API -> createApi(out);
            case Action.UPDATE_API -> {
                if (apis.isEmpty()) return false;
                ApiState a = any(apis);
                a.definition = definition(a.name, a.context, a.provider, 2 + random.nextInt(6));
                emit(out, "Api", a.id, a.tenant, a.provider, new ApiUpdated(a.id, a.definition,
                        random.nextInt(5) == 0 ? openApi(a.name) : null));
            }
            case Action.CHANGE_LIFECYCLE -> {
                if (apis.isEmpty()) return false;
                return changeLifecycle(any(apis), out);
            }
            case Action.CREATE_REVISION -> {
                if (apis.isEmpty()) return false;
                createRevision(any(apis), out);
            }
            case Action.DEPLOY_REVISION -> {
                if (apis.isEmpty()) return false;
                ApiState a = any(apis);
                if (a.revisions.isEmpty()) {
                    createRevision(a, out);
                }
                deploy(a, a.revisions.get(a.revisions.size() - 1), out);
            }
            case Action.ADD_DOCUMENT -> {
                if (apis.isEmpty()) return false;
                ApiState a = any(apis);
                emit(out, "Api", a.id, a.tenant, a.provider, new ApiDocumentAdded(a.id, uuid(),
                        new ApiDocument("doc-" + counter, "HOWTO", "How to call " + a.name, "INLINE", null,
                                "API_LEVEL", null), "# " + a.name + "\n\nCall it with a bearer token. " + counter));
            }
            case Action.CREATE_APPLICATION -> {
                if (users.isEmpty()) return false;
                createApplication(any(users), out);
            }
            case Action.UPDATE_APPLICATION -> {
                if (apps.isEmpty()) return false;
                AppState app = any(apps);
                emit(out, "Application", app.id, app.tenant, app.owner, new ApplicationUpdated(app.id, app.tenant,
                        app.owner, app.name, "Updated " + counter, any(TIERS.subList(0, 3)) + "App", "JWT",
                        Map.of("team", "t" + random.nextInt(20)), List.of()));
            }
            case Action.SUBSCRIBE -> {
                return subscribe(out);
            }
            case Action.CHANGE_TIER -> {
                if (subs.isEmpty()) return false;
                SubState s = any(subs);
                emit(out, "Subscription", s.id, s.tenant, s.subscriber,
                        new SubscriptionTierChanged(s.id, s.apiId, s.appId, any(TIERS)));
            }
            case Action.BLOCK_SUBSCRIPTION -> {
                if (subs.isEmpty()) return false;
                SubState s = any(subs);
                if (s.blocked) {
                    emit(out, "Subscription", s.id, s.tenant, "admin", new SubscriptionUnblocked(s.id, s.apiId, s.appId));
                } else {
                    emit(out, "Subscription", s.id, s.tenant, "admin",
                            new SubscriptionBlocked(s.id, s.tenant, s.apiId, s.appId, random.nextBoolean()));
                }
                s.blocked = !s.blocked;
            }
            case Action.UNSUBSCRIBE -> {
                if (subs.size() < 10) return false;
                SubState s = subs.remove(random.nextInt(subs.size()));
                subscribedPairs.remove(s.apiId + "/" + s.appId);
                emit(out, "Subscription", s.id, s.tenant, s.subscriber,
                        new SubscriptionDeleted(s.id, s.tenant, s.apiId, s.appId));
            }
            case Action.GENERATE_KEYS -> {
                if (apps.isEmpty()) return false;
                AppState app = any(apps);
                KeyType type = random.nextInt(4) == 0 ? KeyType.SANDBOX : KeyType.PRODUCTION;
                if (!keyedApps.add(app.id + "/" + type)) return false;
                String mapping = uuid();
                String keysId = "keys:" + mapping;
                emit(out, "ApplicationKeys", keysId, app.tenant, app.owner, new ApplicationKeysGenerated(keysId,
                        mapping, app.tenant, app.id, app.owner, type, consumerKey(), PASSWORD_HASH,
                        List.of("client_credentials", "password", "refresh_token"), null, TokenLifetimes.defaults()));
            }
            case Action.BLOCK_CONDITION -> {
                String tenant = any(tenants);
                String id = uuid();
                emit(out, "BlockCondition", id, tenant, "admin", new BlockConditionCreated(id, tenant,
                        BlockConditionType.IP, BlockConditionValue.ip("10." + random.nextInt(256) + "."
                        + random.nextInt(256) + "." + random.nextInt(256), false), true));
            }
            default -> throw new IllegalStateException("action " + action);
        }
        return true;
    }

    private void registerUser(List<DomainEventMessage<?>> out) {
        String tenant = any(tenants);
        String username = "user" + worker + "x" + counter;
        String id = User.idOf(tenant, username);
        users.add(new UserState(id, tenant, username));
        emit(out, "User", id, tenant, "anonymous", new UserRegistered(id, tenant, username, PASSWORD_HASH,
                Set.of("Internal/subscriber")));
    }

    private void createPolicy(List<DomainEventMessage<?>> out) {
        String tenant = any(tenants);
        String id = uuid();
        String name = "Tier" + worker + "x" + counter;
        policies.add(new PolicyState(id, tenant, name));
        emit(out, "ThrottlePolicy", id, tenant, "admin",
                new ThrottlePolicyCreated(id, tenant, Level.SUBSCRIPTION, policy(name, 1000)));
    }

    private void createApi(List<DomainEventMessage<?>> out) {
        String tenant = any(tenants);
        String name = "Api" + worker + "x" + counter;
        String provider = users.isEmpty() ? "admin" : any(users).username;
        ApiState a = new ApiState(uuid(), tenant, name, "/w" + worker + "/api" + counter, provider);
        a.definition = definition(name, a.context, provider, 2 + random.nextInt(6));
        apis.add(a);
        emit(out, "Api", a.id, tenant, provider, new ApiCreated(a.id, tenant, a.definition, openApi(name)));
        if (random.nextInt(10) < 8) {
            changeLifecycle(a, out);
        }
    }

    private boolean changeLifecycle(ApiState a, List<DomainEventMessage<?>> out) {
        LifecycleAction action = switch (a.state) {
            case CREATED, PROTOTYPED -> LifecycleAction.PUBLISH;
            case PUBLISHED -> random.nextInt(10) == 0 ? LifecycleAction.DEPRECATE : LifecycleAction.BLOCK;
            case BLOCKED -> LifecycleAction.REPUBLISH;
            case DEPRECATED -> LifecycleAction.RETIRE;
            case RETIRED -> null;
        };
        if (action == null) {
            return false;
        }
        ApiLifecycleState next = a.state.next(action).orElseThrow();
        emit(out, "Api", a.id, a.tenant, a.provider, new ApiLifecycleChanged(a.id, a.state, next, action));
        if (a.state == ApiLifecycleState.PUBLISHED) {
            published.remove(a);
        }
        a.state = next;
        if (next == ApiLifecycleState.PUBLISHED) {
            published.add(a);
        }
        return true;
    }

    private void createRevision(ApiState a, List<DomainEventMessage<?>> out) {
        if (a.revisions.size() == 5) {
            Revision oldest = a.revisions.stream().filter(r -> r != a.deployed).findFirst().orElseThrow();
            a.revisions.remove(oldest);
            emit(out, "Api", a.id, a.tenant, a.provider, new ApiRevisionDeleted(a.id, oldest.id, oldest.number));
        }
        Revision r = new Revision(uuid(), ++a.revisionNumber);
        a.revisions.add(r);
        emit(out, "Api", a.id, a.tenant, a.provider, new ApiRevisionCreated(a.id, r.id, r.number,
                "Revision " + r.number, a.definition, openApi(a.name)));
    }

    private void deploy(ApiState a, Revision r, List<DomainEventMessage<?>> out) {
        if (a.deployed == r) {
            return;
        }
        if (a.deployed != null) {
            emit(out, "Api", a.id, a.tenant, a.provider,
                    new ApiRevisionUndeployed(a.id, a.deployed.id, a.deployed.number, List.of("Default")));
        }
        a.deployed = r;
        emit(out, "Api", a.id, a.tenant, a.provider, new ApiRevisionDeployed(a.id, r.id, r.number,
                List.of(new RevisionDeployment("Default", "localhost", true))));
    }

    private void createApplication(UserState owner, List<DomainEventMessage<?>> out) {
        AppState app = new AppState(uuid(), owner.tenant, owner.username, "App" + worker + "x" + counter);
        apps.add(app);
        emit(out, "Application", app.id, app.tenant, app.owner, new ApplicationCreated(app.id, app.tenant, app.owner,
                app.name, "Generated application", "Unlimited", "JWT", Map.of(), List.of()));
    }

    private boolean subscribe(List<DomainEventMessage<?>> out) {
        if (published.isEmpty() || apps.isEmpty()) {
            return false;
        }
        ApiState a = any(published);
        AppState app = null;
        for (int i = 0; i < 5 && app == null; i++) {
            AppState candidate = any(apps);
            if (candidate.tenant.equals(a.tenant) && !subscribedPairs.contains(a.id + "/" + candidate.id)) {
                app = candidate;
            }
        }
        if (app == null) {
            return false;
        }
        subscribedPairs.add(a.id + "/" + app.id);
        SubState s = new SubState(uuid(), app.tenant, a.id, app.id, app.owner);
        subs.add(s);
        emit(out, "Subscription", s.id, s.tenant, s.subscriber, new SubscriptionCreated(s.id, s.tenant, a.id, app.id,
                any(TIERS), SubscriptionStatus.UNBLOCKED, s.subscriber));
        return true;
    }

    private void emit(List<DomainEventMessage<?>> out, String type, String aggregateId, String tenant,
                      String principal, Object payload) {
        long seq = sequences.merge(aggregateId, 1L, Long::sum) - 1;
        counter++;
        clock += 1 + random.nextInt(3);
        Map<String, Object> meta = new HashMap<>(8);
        meta.put(AuditMetadata.TENANT, tenant);
        meta.put(AuditMetadata.PRINCIPAL, principal);
        meta.put(AuditMetadata.CLIENT_IP, "192.168." + worker + "." + (1 + random.nextInt(250)));
        meta.put(AuditMetadata.CORRELATION_ID, uuid());
        meta.put(AuditMetadata.CAUSATION_ID, uuid());
        out.add(new GenericDomainEventMessage<>(type, aggregateId, seq, payload, MetaData.from(meta), uuid(),
                Instant.ofEpochMilli(clock)));
    }

    private ApiDefinition definition(String name, String context, String provider, int operations) {
        List<ApiOperation> ops = new ArrayList<>();
        String[] verbs = {"GET", "POST", "PUT", "DELETE", "PATCH"};
        for (int i = 0; i < operations; i++) {
            ops.add(new ApiOperation("/items" + (i / verbs.length == 0 ? "" : "/{id}" + i), verbs[i % verbs.length],
                    ApiOperation.DEFAULT_AUTH_TYPE, ApiOperation.DEFAULT_THROTTLING_POLICY, List.of()));
        }
        Map<String, String> business = new LinkedHashMap<>();
        business.put("businessOwner", provider);
        business.put("technicalOwnerEmail", provider + "@example.com");
        return new ApiDefinition(name, "Generated API " + name + " (" + counter + ")", context, "1.0.0", provider,
                "HTTP", List.of("http", "https"), List.of("generated", "w" + worker), List.of("Gold", "Unlimited"),
                null, "Authorization", List.of("oauth2", "oauth_basic_auth_api_key_mandatory"), "PUBLIC", List.of(),
                true, new ApiEndpoints("http", "http://backend-" + worker + ".example.com/" + name, null), ops,
                List.of(), business, Map.of());
    }

    private static ThrottlePolicyDefinition policy(String name, long requests) {
        return ThrottlePolicyDefinition.simple(name, name, "Generated tier",
                ThrottleLimit.requests(requests, 1, "min"));
    }

    private static String openApi(String name) {
        return "{\"openapi\":\"3.0.1\",\"info\":{\"title\":\"" + name + "\",\"version\":\"1.0.0\"},"
                + "\"paths\":{\"/items\":{\"get\":{\"responses\":{\"200\":{\"description\":\"OK\"}}}}}}";
    }

    private String consumerKey() {
        StringBuilder b = new StringBuilder(28);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 28; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Random-but-reproducible UUIDs (the seed decides the whole history). */
    private String uuid() {
        return new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
    }

    private <T> T any(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private record UserState(String id, String tenant, String username) {}

    private record PolicyState(String id, String tenant, String name) {}

    private record Revision(String id, int number) {}

    private static final class ApiState {
        final String id, tenant, name, context, provider;
        ApiDefinition definition;
        ApiLifecycleState state = ApiLifecycleState.CREATED;
        final List<Revision> revisions = new ArrayList<>();
        Revision deployed;
        int revisionNumber;

        ApiState(String id, String tenant, String name, String context, String provider) {
            this.id = id;
            this.tenant = tenant;
            this.name = name;
            this.context = context;
            this.provider = provider;
        }
    }

    private record AppState(String id, String tenant, String owner, String name) {}

    private static final class SubState {
        final String id, tenant, apiId, appId, subscriber;
        boolean blocked;

        SubState(String id, String tenant, String apiId, String appId, String subscriber) {
            this.id = id;
            this.tenant = tenant;
            this.apiId = apiId;
            this.appId = appId;
            this.subscriber = subscriber;
        }
    }
}
