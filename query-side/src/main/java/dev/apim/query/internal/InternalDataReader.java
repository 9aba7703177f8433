package dev.apim.query.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.policy.ConditionalGroup;
import dev.apim.domain.policy.ThrottleCondition;
import dev.apim.domain.policy.ThrottleLimit;
import dev.apim.domain.policy.ThrottlePolicy;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.platform.broadcast.InternalData.ApiItem;
import dev.apim.platform.broadcast.InternalData.ApplicationItem;
import dev.apim.platform.broadcast.InternalData.BlockConditionItem;
import dev.apim.platform.broadcast.InternalData.CutoffItem;
import dev.apim.platform.broadcast.InternalData.GroupItem;
import dev.apim.platform.broadcast.InternalData.KeyMappingItem;
import dev.apim.platform.broadcast.InternalData.LimitItem;
import dev.apim.platform.broadcast.InternalData.One;
import dev.apim.platform.broadcast.InternalData.Page;
import dev.apim.platform.broadcast.InternalData.PolicyItem;
import dev.apim.platform.broadcast.InternalData.ResourceItem;
import dev.apim.platform.broadcast.InternalData.RevokedTokenItem;
import dev.apim.platform.broadcast.InternalData.Snapshot;
import dev.apim.platform.broadcast.InternalData.SubscriptionItem;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What gateways read from {@code apimgtdb}, each answer stamped with the event index it reflects: the data and
 * the {@code apimgtdb} processor's tracking token are read in one REPEATABLE READ read-only transaction, so both
 * come from the same database snapshot. The stamp is the token's index, or the index just before its lowest gap
 * (an event that may still be applied later; see {@link #GAP_GRACE}), and the lowest over the processor's segments.
 */
public class InternalDataReader {

    static final String READ_MODEL_PROCESSOR = "apimgtdb";

    private final DatabaseClient db;
    private final ObjectMapper json;
    private final TransactionalOperator tx;

    public InternalDataReader(DatabaseClient db, ConnectionFactory connections, ObjectMapper json) {
        this.db = db;
        this.json = json;
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
        definition.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        definition.setReadOnly(true);
        this.tx = TransactionalOperator.create(new R2dbcTransactionManager(connections), definition);
    }

    /** Runs the read and the stamp in one transaction (stamp last: the snapshot is fixed by the first statement). */
    private <T> Mono<Stamped<T>> stamped(Mono<T> read) {
        return tx.transactional(read.flatMap(value -> stamp().map(index -> new Stamped<>(index, value))));
    }

    private record Stamped<T>(long index, T value) {}

    public Mono<Page<ApiItem>> apis(String environment) {
        return page(apiRows(environment, null));
    }

    public Mono<One<ApiItem>> api(String environment, String apiId) {
        return one(apiRows(environment, apiId));
    }

    public Mono<Page<ApplicationItem>> applications() {
        return page(applicationRows(null));
    }

    public Mono<One<ApplicationItem>> application(String id) {
        return one(applicationRows(id));
    }

    public Mono<Page<SubscriptionItem>> subscriptions() {
        return page(subscriptionRows(null));
    }

    public Mono<One<SubscriptionItem>> subscription(String id) {
        return one(subscriptionRows(id));
    }

    public Mono<Page<KeyMappingItem>> keyMappings() {
        return page(keyMappingRows(null));
    }

    public Mono<One<KeyMappingItem>> keyMapping(String consumerKey) {
        return one(keyMappingRows(consumerKey));
    }

    public Mono<Page<PolicyItem>> policies() {
        return page(policyRows(null));
    }

    public Mono<One<PolicyItem>> policy(String policyId) {
        return one(policyRows(policyId));
    }

    public Mono<Page<BlockConditionItem>> blockConditions() {
        return page(blockConditionRows(null));
    }

    public Mono<One<BlockConditionItem>> blockCondition(String id) {
        return one(blockConditionRows(id));
    }

    public Mono<Page<RevokedTokenItem>> revokedTokens() {
        return page(revokedTokenRows());
    }

    public Mono<Page<CutoffItem>> cutoffs() {
        return page(cutoffRows());
    }

    /** Every family at one index. */
    public Mono<Snapshot> snapshot(String environment) {
        Mono<Snapshot> read = Mono.just(new SnapshotBuilder(environment))
                .flatMap(b -> apiRows(environment, null).collectList().doOnNext(l -> b.apis = l).thenReturn(b))
                .flatMap(b -> applicationRows(null).collectList().doOnNext(l -> b.applications = l).thenReturn(b))
                .flatMap(b -> subscriptionRows(null).collectList().doOnNext(l -> b.subscriptions = l).thenReturn(b))
                .flatMap(b -> keyMappingRows(null).collectList().doOnNext(l -> b.keyMappings = l).thenReturn(b))
                .flatMap(b -> policyRows(null).collectList().doOnNext(l -> b.policies = l).thenReturn(b))
                .flatMap(b -> blockConditionRows(null).collectList().doOnNext(l -> b.blockConditions = l).thenReturn(b))
                .flatMap(b -> revokedTokenRows().collectList().doOnNext(l -> b.revokedTokens = l).thenReturn(b))
                .flatMap(b -> cutoffRows().collectList().doOnNext(l -> b.cutoffs = l).thenReturn(b))
                .flatMap(b -> stamp().map(b::build));
        return tx.transactional(read);
    }

    private static final class SnapshotBuilder {
        final String environment;
        List<ApiItem> apis;
        List<ApplicationItem> applications;
        List<SubscriptionItem> subscriptions;
        List<KeyMappingItem> keyMappings;
        List<PolicyItem> policies;
        List<BlockConditionItem> blockConditions;
        List<RevokedTokenItem> revokedTokens;
        List<CutoffItem> cutoffs;

        SnapshotBuilder(String environment) {
            this.environment = environment;
        }

        Snapshot build(long index) {
            return new Snapshot(index, environment, apis, applications, subscriptions, keyMappings, policies,
                    blockConditions, revokedTokens, cutoffs);
        }
    }

    private <T> Mono<Page<T>> page(Flux<T> rows) {
        return stamped(rows.collectList()).map(s -> new Page<>(s.index(), s.value()));
    }

    private <T> Mono<One<T>> one(Flux<T> rows) {
        return stamped(rows.collectList()).map(s -> new One<>(s.index(), s.value().isEmpty() ? null : s.value().get(0)));
    }

    private <T> Flux<T> rows(String sql, String idColumn, String id, Function<Readable, T> mapper) {
        var spec = db.sql(id == null ? sql + " ORDER BY 1" : sql + (sql.contains(" WHERE ") ? " AND " : " WHERE ")
                + idColumn + " = :id");
        if (id != null) {
            spec = spec.bind("id", id);
        }
        return spec.map((row, meta) -> mapper.apply(row)).all();
    }

    // ---- the stamp ----

    /**
     * How long a gap in the index (a sequence value taken by a transaction that has not committed, or never will:
     * a rolled-back append, e.g. a lost race between nodes or a refused claim) holds the stamp back. A gap whose next
     * stored event is older than this counts as dead: otherwise one rolled-back write would hold every stamp back
     * until Axon drops the gap (after thousands of events), and gateways would re-read every entity in vain. Should
     * a transaction commit later than this after taking its index, its event still reaches gateways as a late
     * broadcast notification, which makes them re-read.
     */
    static final java.time.Duration GAP_GRACE = java.time.Duration.ofSeconds(10);

    /** The index every row read in this transaction reflects (0 before the processor's first token). */
    Mono<Long> stamp() {
        return db.sql("SELECT token FROM event_store.token_entry WHERE processor_name = :name")
                .bind("name", READ_MODEL_PROCESSOR)
                .map((row, meta) -> java.util.Optional.ofNullable(row.get("token", String.class)))
                .all()
                .concatMap(token -> reflected(token.orElse(null)))
                .reduce(Math::min)
                .defaultIfEmpty(0L);
    }

    /** What one segment's token reflects: its index, or just below its lowest gap that may still be filled. */
    private Mono<Long> reflected(String token) {
        long[] parsed = parseToken(token);
        if (parsed.length == 0) {
            return Mono.just(0L);
        }
        long index = parsed[0];
        if (parsed.length == 1) {
            return Mono.just(Math.max(0, index));
        }
        Long[] gaps = new Long[parsed.length - 1];
        for (int i = 1; i < parsed.length; i++) {
            gaps[i - 1] = parsed[i];
        }
        String cutoff = java.time.Instant.now().minus(GAP_GRACE).toString();
        return db.sql("""
                        SELECT min(g) AS pending FROM unnest(CAST(:gaps AS bigint[])) AS g
                        WHERE (SELECT e.time_stamp FROM event_store.domain_event_entry e WHERE e.global_index > g
                               ORDER BY e.global_index LIMIT 1) > :cutoff""")
                .bind("gaps", gaps)
                .bind("cutoff", cutoff)
                .map((row, meta) -> java.util.Optional.ofNullable(row.get("pending", Long.class)))
                .one()
                .map(pending -> Math.max(0, pending.map(g -> Math.min(index, g - 1)).orElse(index)))
                .defaultIfEmpty(Math.max(0, index));
    }

    /** {index, gaps...} of Axon's JSON token (a gap-aware token, possibly wrapped in a replay token); empty for none. */
    long[] parseToken(String token) {
        if (token == null) {
            return new long[0];
        }
        try {
            JsonNode node = json.readTree(token);
            while (node.has("currentToken")) {
                node = node.get("currentToken");
            }
            if (!node.has("index")) {
                return new long[0];
            }
            JsonNode gaps = node.get("gaps");
            int count = gaps == null ? 0 : gaps.size();
            long[] out = new long[1 + count];
            out[0] = node.get("index").asLong();
            for (int i = 0; i < count; i++) {
                out[1 + i] = gaps.get(i).asLong();
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable tracking token of processor " + READ_MODEL_PROCESSOR, e);
        }
    }

    // ---- APIs: the revision deployed to the environment ----

    private Flux<ApiItem> apiRows(String environment, String apiId) {
        String sql = """
                SELECT a.api_id, a.tenant, a.lifecycle_status, d.revision_id, r.definition
                FROM apimgtdb.api_deployment d
                JOIN apimgtdb.api a ON a.api_id = d.api_id
                JOIN apimgtdb.api_revision r ON r.revision_id = d.revision_id
                WHERE d.environment = :environment""";
        var spec = db.sql(apiId == null ? sql + " ORDER BY a.api_id" : sql + " AND d.api_id = :id")
                .bind("environment", environment);
        if (apiId != null) {
            spec = spec.bind("id", apiId);
        }
        return spec.map((row, meta) -> apiItem(row)).all();
    }

    private ApiItem apiItem(Readable r) {
        ApiDefinition d;
        try {
            d = json.readValue(r.get("definition", Json.class).asString(), ApiDefinition.class);
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable revision definition " + r.get("revision_id", String.class), e);
        }
        List<ResourceItem> resources = new ArrayList<>();
        for (ApiOperation op : d.operations()) {
            resources.add(new ResourceItem(op.verb().toUpperCase(java.util.Locale.ROOT), op.target(), op.isSecured(),
                    op.throttlingPolicy() == null ? ApiOperation.DEFAULT_THROTTLING_POLICY : op.throttlingPolicy(),
                    op.scopes()));
        }
        String apiPolicy = d.apiThrottlingPolicy() == null || d.apiThrottlingPolicy().isBlank()
                ? null : d.apiThrottlingPolicy();
        return new ApiItem(r.get("api_id", String.class), r.get("tenant", String.class), d.name(), d.gatewayContext(),
                d.version(), d.isDefaultVersion(), r.get("lifecycle_status", String.class),
                r.get("revision_id", String.class), apiPolicy, d.endpoints().productionUrl(),
                d.endpoints().sandboxUrl(), resources);
    }

    // ---- applications, subscriptions, key mappings ----

    private Flux<ApplicationItem> applicationRows(String id) {
        return rows("SELECT application_id, tenant, name, owner, throttling_policy FROM apimgtdb.application",
                "application_id", id, r -> new ApplicationItem(r.get("application_id", String.class),
                        r.get("tenant", String.class), r.get("name", String.class), r.get("owner", String.class),
                        r.get("throttling_policy", String.class)));
    }

    private Flux<SubscriptionItem> subscriptionRows(String id) {
        return rows("SELECT subscription_id, api_id, application_id, tenant, throttling_policy, status "
                        + "FROM apimgtdb.subscription", "subscription_id", id,
                r -> new SubscriptionItem(r.get("subscription_id", String.class), r.get("api_id", String.class),
                        r.get("application_id", String.class), r.get("tenant", String.class),
                        r.get("throttling_policy", String.class), r.get("status", String.class)));
    }

    /** Application keys only (management clients do not call APIs); a key whose application is gone is inactive. */
    private Flux<KeyMappingItem> keyMappingRows(String consumerKey) {
        return rows("""
                        SELECT c.consumer_key, c.application_id, c.tenant, c.key_type,
                            c.active AND EXISTS (SELECT 1 FROM apimgtdb.application a
                                                 WHERE a.application_id = c.application_id) AS usable
                        FROM apimgtdb.oauth_client c WHERE c.kind = 'APPLICATION'""", "c.consumer_key", consumerKey,
                r -> new KeyMappingItem(r.get("consumer_key", String.class), r.get("application_id", String.class),
                        r.get("tenant", String.class), r.get("key_type", String.class),
                        Boolean.TRUE.equals(r.get("usable", Boolean.class))));
    }

    // ---- policies ----

    private Flux<PolicyItem> policyRows(String id) {
        return rows("SELECT policy_id, tenant, policy_level, definition FROM apimgtdb.throttle_policy", "policy_id", id,
                r -> {
                    ThrottlePolicyDefinition d;
                    try {
                        d = json.readValue(r.get("definition", Json.class).asString(), ThrottlePolicyDefinition.class);
                    } catch (Exception e) {
                        throw new IllegalStateException("Unreadable policy " + r.get("policy_id", String.class), e);
                    }
                    return policyItem(r.get("policy_id", String.class), r.get("tenant", String.class),
                            r.get("policy_level", String.class), d);
                });
    }

    /** WSO2's {@code Unlimited} has no limit at all; burst control is per second or minute. */
    static PolicyItem policyItem(String policyId, String tenant, String level, ThrottlePolicyDefinition d) {
        boolean unlimited = ThrottlePolicy.UNLIMITED.equals(d.policyName());
        LimitItem burst = d.rateLimitCount() > 0
                ? new LimitItem("REQUEST_COUNT", d.rateLimitCount(), "min".equals(d.rateLimitTimeUnit()) ? 60_000 : 1_000)
                : null;
        List<GroupItem> groups = new ArrayList<>();
        for (ConditionalGroup g : d.conditionalGroups()) {
            List<Map<String, Object>> conditions = new ArrayList<>();
            for (ThrottleCondition c : g.conditions()) {
                conditions.add(condition(c));
            }
            groups.add(new GroupItem(g.description(), conditions, limit(g.limit())));
        }
        return new PolicyItem(policyId, level, tenant, d.policyName(), unlimited ? null : limit(d.defaultLimit()),
                unlimited ? null : burst, d.stopOnQuotaReach() || !"SUBSCRIPTION".equals(level),
                unlimited ? List.of() : groups);
    }

    static LimitItem limit(ThrottleLimit limit) {
        if (limit == null) {
            return null;
        }
        if (ThrottleLimit.BANDWIDTH.equals(limit.type()) && limit.bandwidth() != null) {
            var b = limit.bandwidth();
            long unit = switch (b.dataUnit() == null ? "KB" : b.dataUnit()) {
                case "GB" -> 1024L * 1024 * 1024;
                case "MB" -> 1024L * 1024;
                default -> 1024L;
            };
            return new LimitItem("BANDWIDTH", b.dataAmount() * unit, window(b.unitTime(), b.timeUnit()));
        }
        var rc = limit.requestCount();
        return rc == null ? null : new LimitItem("REQUEST_COUNT", rc.requestCount(), window(rc.unitTime(), rc.timeUnit()));
    }

    static long window(int unitTime, String timeUnit) {
        long unit = switch (timeUnit == null ? "min" : timeUnit) {
            case "sec" -> 1_000L;
            case "hour" -> 3_600_000L;
            case "day" -> 86_400_000L;
            default -> 60_000L;
        };
        return Math.max(1, unitTime) * unit;
    }

    /** WSO2's condition object: {@code type}, {@code invertCondition} and the type's own parameters. */
    static Map<String, Object> condition(ThrottleCondition c) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (c.type()) {
            case ThrottleCondition.HEADER -> {
                m.put("type", "HEADER");
                m.put("headerName", c.headerCondition().headerName());
                m.put("headerValue", c.headerCondition().headerValue());
            }
            case ThrottleCondition.QUERY_PARAMETER -> {
                m.put("type", "QUERYPARAMETER");
                m.put("parameterName", c.queryParameterCondition().parameterName());
                m.put("parameterValue", c.queryParameterCondition().parameterValue());
            }
            case ThrottleCondition.JWT_CLAIMS -> {
                m.put("type", "JWTCLAIMS");
                m.put("claimUrl", c.jwtClaimsCondition().claimUrl());
                m.put("attribute", c.jwtClaimsCondition().attribute());
            }
            case ThrottleCondition.IP -> {
                var ip = c.ipCondition();
                if (ThrottleCondition.IP_RANGE.equals(ip.ipConditionType())) {
                    m.put("type", "IPRANGE");
                    m.put("startingIP", ip.startingIP());
                    m.put("endingIP", ip.endingIP());
                } else {
                    m.put("type", "IPSPECIFIC");
                    m.put("specificIP", ip.specificIP());
                }
            }
            default -> m.put("type", c.type());
        }
        m.put("invertCondition", c.invertCondition());
        return m;
    }

    // ---- block conditions and revocations ----

    private Flux<BlockConditionItem> blockConditionRows(String id) {
        return rows("""
                        SELECT condition_id, tenant, condition_type, invert,
                            CASE condition_type WHEN 'IP' THEN fixed_ip
                                                WHEN 'IPRANGE' THEN starting_ip || '-' || ending_ip
                                                ELSE condition_value END AS value
                        FROM apimgtdb.block_condition WHERE enabled""", "condition_id", id,
                r -> new BlockConditionItem(r.get("condition_id", String.class), r.get("tenant", String.class),
                        r.get("condition_type", String.class), r.get("value", String.class),
                        Boolean.TRUE.equals(r.get("invert", Boolean.class))));
    }

    /** Revoked tokens not yet expired. */
    private Flux<RevokedTokenItem> revokedTokenRows() {
        return db.sql("SELECT jti, consumer_key, tenant, expires_at FROM apimgtdb.revoked_token "
                        + "WHERE expires_at > now() ORDER BY jti")
                .map((r, meta) -> new RevokedTokenItem(r.get("jti", String.class), r.get("consumer_key", String.class),
                        r.get("tenant", String.class), instant(r.get("expires_at", OffsetDateTime.class))))
                .all();
    }

    private Flux<CutoffItem> cutoffRows() {
        return db.sql("SELECT consumer_key, tenant, issued_before FROM apimgtdb.token_revocation_cutoff ORDER BY 1")
                .map((r, meta) -> new CutoffItem(r.get("consumer_key", String.class), r.get("tenant", String.class),
                        instant(r.get("issued_before", OffsetDateTime.class))))
                .all();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
