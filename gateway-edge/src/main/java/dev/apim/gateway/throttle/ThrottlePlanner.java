package dev.apim.gateway.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apim.domain.common.IpAddresses;
import dev.apim.gateway.block.ClientAddresses;
import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.GatewayLookup;
import dev.apim.gateway.model.Policy;
import dev.apim.gateway.model.Subscription;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.jwt.VerifiedToken;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which counters a request must fit in (WSO2's levels):
 * <ul>
 *   <li>application policy, per application and end user: {@code app:<tenant>:<appId>:<user>} (900803);</li>
 *   <li>subscription policy, per application and API: {@code sub:<tenant>:<appId>:<apiId>} (900804), and its burst
 *       control {@code burst:<tenant>:<appId>:<apiId>} (900807);</li>
 *   <li>the API's advanced policy when it has one, for all callers: {@code api:<tenant>:<apiId>[:g<n>]} (900800);
 *       otherwise the resource's advanced policy: {@code res:<tenant>:<apiId>:<verb>:<template>[:g<n>]}
 *       (900802). The first conditional group whose conditions all hold replaces the default limit and counts on
 *       its own ({@code :g<n>}).</li>
 * </ul>
 * Unknown or {@code Unlimited} policies add no counter; nor does a subscription policy with "stop on quota reach"
 * off, since it never refuses a call. A BANDWIDTH limit costs the request's {@code Content-Length}. Conditions: header and query
 * parameter values compare exactly, IP conditions by address or range, JWT claims by regular expression (compiled
 * once per policy, never per request) against the token's {@code sub}, {@code azp}, {@code keytype},
 * {@code scope}, {@code aut} and WSO2's claim URIs ({@code http://wso2.org/claims/enduser}, {@code applicationid},
 * {@code applicationname}, {@code applicationtier}, {@code applicationUUId}, {@code subscriber}, {@code keytype}).
 */
public final class ThrottlePlanner {

    private static final Logger log = LoggerFactory.getLogger(ThrottlePlanner.class);

    /** What conditions may look at. {@code token} is null for unsecured resources. */
    public record RequestFacts(byte[] clientIp, HttpHeaders headers, String query, VerifiedToken token,
                               long contentLength) {}

    private final GatewayLookup lookup;
    /** Compiled conditional groups, by policy identity (weak keys compare by identity). */
    private final Cache<Policy, List<Predicate<RequestFacts>>> groups = Caffeine.newBuilder().weakKeys().build();

    public ThrottlePlanner(GatewayLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * @param application null for unsecured resources
     * @param subscription null for unsecured resources
     */
    public List<ThrottleCounter> counters(Api api, Api.Resource resource, Application application,
                                          Subscription subscription, String user, RequestFacts facts) {
        List<ThrottleCounter> out = new ArrayList<>(4);
        String tenant = api.tenant();
        if (application != null && application.policy() != null) {
            Policy p = policy(Policy.Level.APPLICATION, tenant, application.policy());
            if (p != null) {
                add(out, "app:" + tenant + ":" + application.applicationId() + ":" + user,
                        appShard(tenant, application.applicationId()), p.defaultLimit(),
                        ThrottleCounter.Level.APPLICATION, facts);
            }
        }
        if (subscription != null && subscription.policy() != null) {
            Policy p = policy(Policy.Level.SUBSCRIPTION, tenant, subscription.policy());
            if (p != null) {
                String key = subscription.applicationId() + ":" + api.apiId();
                String shard = apiShard(tenant, api.apiId());
                add(out, "sub:" + tenant + ":" + key, shard, p.defaultLimit(), ThrottleCounter.Level.SUBSCRIPTION,
                        facts);
                add(out, "burst:" + tenant + ":" + key, shard, p.burst(), ThrottleCounter.Level.BURST, facts);
            }
        }
        if (api.apiPolicy() != null && !api.apiPolicy().isBlank()) {
            Policy p = policy(Policy.Level.API, tenant, api.apiPolicy());
            if (p != null) {
                advanced(out, "api:" + tenant + ":" + api.apiId(), apiShard(tenant, api.apiId()), p,
                        ThrottleCounter.Level.API, facts);
            }
        } else if (resource.policy() != null && !resource.policy().isBlank()) {
            Policy p = policy(Policy.Level.API, tenant, resource.policy());
            if (p != null) {
                advanced(out, "res:" + tenant + ":" + api.apiId() + ":" + resource.verb() + ":"
                        + resource.uriTemplate(), apiShard(tenant, api.apiId()), p, ThrottleCounter.Level.RESOURCE,
                        facts);
            }
        }
        return out;
    }

    private Policy policy(Policy.Level level, String tenant, String name) {
        Policy p = lookup.policy(level, tenant, name).orElse(null);
        // Only subscription policies have WSO2's "stop on quota reach"; when off they never refuse a call.
        if (p == null || p.unlimited() || level == Policy.Level.SUBSCRIPTION && !p.stopOnQuotaReach()) {
            return null;
        }
        return p;
    }

    /**
     * The Redis Cluster shard (hash tag) of an API's counters: subscription, burst, API and resource counters of
     * one API live in one slot, so a request whose counters are all of its API (the application policy unlimited,
     * the usual case) is decided by one atomic script, and different APIs spread over the cluster.
     */
    static String apiShard(String tenant, String apiId) {
        return tenant + "/api/" + apiId;
    }

    /** The shard of an application's counter (it spans every API the application calls). */
    static String appShard(String tenant, String applicationId) {
        return tenant + "/app/" + applicationId;
    }

    private void advanced(List<ThrottleCounter> out, String key, String shard, Policy p,
                          ThrottleCounter.Level level, RequestFacts facts) {
        if (!p.conditionalGroups().isEmpty()) {
            List<Predicate<RequestFacts>> compiled = groups.get(p, ThrottlePlanner::compile);
            for (int i = 0; i < compiled.size(); i++) {
                if (compiled.get(i).test(facts)) {
                    add(out, key + ":g" + i, shard, p.conditionalGroups().get(i).limit(), level, facts);
                    return;
                }
            }
        }
        add(out, key, shard, p.defaultLimit(), level, facts);
    }

    private static void add(List<ThrottleCounter> out, String key, String shard, Policy.Limit limit,
                            ThrottleCounter.Level level, RequestFacts facts) {
        if (limit == null || limit.window() == null || limit.window().isZero() || limit.window().isNegative()
                || limit.amount() < 0) {
            return;
        }
        long cost = limit.type() == Policy.Limit.Type.BANDWIDTH ? Math.max(0, facts.contentLength()) : 1;
        out.add(new ThrottleCounter(key, limit.amount(), limit.window(), cost, level, shard));
    }

    // ---- conditional groups

    private static List<Predicate<RequestFacts>> compile(Policy policy) {
        List<Predicate<RequestFacts>> out = new ArrayList<>();
        for (Policy.ConditionalGroup g : policy.conditionalGroups()) {
            Predicate<RequestFacts> all = f -> true;
            for (Map<String, Object> c : g.conditions()) {
                all = all.and(condition(policy, c));
            }
            out.add(all);
        }
        return List.copyOf(out);
    }

    private static Predicate<RequestFacts> condition(Policy policy, Map<String, Object> c) {
        String type = upper(c.get("type"));
        boolean invert = Boolean.parseBoolean(String.valueOf(c.get("invertCondition")));
        Predicate<RequestFacts> p;
        switch (type) {
            case "HEADERCONDITION", "HEADER" -> {
                Map<String, Object> h = part(c, "headerCondition");
                String name = str(h.get("headerName"));
                String value = str(h.get("headerValue"));
                p = f -> name != null && value != null && f.headers() != null
                        && value.equals(f.headers().get(name));
            }
            case "QUERYPARAMETERCONDITION", "QUERYPARAMETER" -> {
                Map<String, Object> q = part(c, "queryParameterCondition");
                String name = str(q.get("parameterName"));
                String value = str(q.get("parameterValue"));
                p = f -> name != null && value != null && queryHas(f.query(), name, value);
            }
            case "IPCONDITION", "IPSPECIFIC", "IPRANGE" -> {
                Map<String, Object> ip = part(c, "ipCondition");
                String kind = type.equals("IPCONDITION") ? upper(ip.get("ipConditionType")) : type;
                byte[] start;
                byte[] end;
                if (kind.equals("IPSPECIFIC")) {
                    start = address(ip.get("specificIP"));
                    end = start;
                } else {
                    start = address(ip.get("startingIP"));
                    end = address(ip.get("endingIP"));
                }
                if (start == null || end == null) {
                    log.warn("policy {}: ignoring an IP condition without valid addresses", policy.name());
                    return f -> false;
                }
                p = f -> f.clientIp() != null && ClientAddresses.inRange(f.clientIp(), start, end);
            }
            case "JWTCLAIMSCONDITION", "JWTCLAIMS" -> {
                Map<String, Object> j = part(c, "jwtClaimsCondition");
                String claim = str(j.get("claimUrl"));
                Pattern pattern;
                try {
                    pattern = Pattern.compile(String.valueOf(j.get("attribute")));
                } catch (PatternSyntaxException e) {
                    log.warn("policy {}: ignoring a JWT claim condition with an invalid pattern", policy.name());
                    return f -> false;
                }
                p = f -> {
                    String v = claim(f.token(), claim);
                    return v != null && pattern.matcher(v).find();
                };
            }
            default -> {
                log.warn("policy {}: ignoring a condition of unknown type {}", policy.name(), type);
                return f -> false;
            }
        }
        return invert ? p.negate() : p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> c, String nested) {
        Object n = c.get(nested);
        return n instanceof Map<?, ?> m ? (Map<String, Object>) m : c;
    }

    private static boolean queryHas(String query, String name, String value) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        List<String> values = new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters().get(name);
        return values != null && values.contains(value);
    }

    static String claim(VerifiedToken t, String claim) {
        if (t == null || claim == null) {
            return null;
        }
        ApplicationClaim app = t.application();
        String name = claim.startsWith("http://wso2.org/claims/") ? claim.substring(23) : claim;
        switch (name) {
            case "sub", "enduser" -> {
                return t.subject();
            }
            case "azp", "consumerKey" -> {
                return t.authorizedParty();
            }
            case "keytype" -> {
                return t.keyType() == null ? null : t.keyType().name();
            }
            case "scope" -> {
                return String.join(" ", t.scopes());
            }
            case "aut", "usertype" -> {
                return t.authorizedUserType() == null ? null : t.authorizedUserType().name();
            }
            case "applicationid" -> {
                return app == null ? null : app.id();
            }
            case "applicationUUId", "applicationuuid" -> {
                return app == null ? null : app.uuid();
            }
            case "applicationname" -> {
                return app == null ? null : app.name();
            }
            case "applicationtier" -> {
                return app == null ? null : app.tier();
            }
            case "subscriber" -> {
                return app == null ? null : app.owner();
            }
            default -> {
                return null;
            }
        }
    }

    private static byte[] address(Object o) {
        return o == null ? null : IpAddresses.parse(String.valueOf(o).trim()).orElse(null);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static String upper(Object o) {
        return o == null ? "" : String.valueOf(o).toUpperCase(Locale.ROOT);
    }
}
