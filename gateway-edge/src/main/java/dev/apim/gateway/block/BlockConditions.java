package dev.apim.gateway.block;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apim.domain.common.IpAddresses;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.BlockCondition;
import dev.apim.gateway.model.GatewayLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * WSO2's deny policies. API context and IP/IPRANGE conditions are checked as soon as the API is known
 * ({@link #blockedBeforeAuthentication}); USER and APPLICATION ones once the token names them
 * ({@link #blockedAfterAuthentication}). A tenant's condition list is compiled (addresses parsed) once per list
 * instance the state hands out, so a request only compares bytes and strings.
 */
public final class BlockConditions {

    private static final Logger log = LoggerFactory.getLogger(BlockConditions.class);

    private final GatewayLookup lookup;
    /** Keyed by list identity (weak keys compare by identity): a new list from the state is compiled afresh. */
    private final Cache<List<BlockCondition>, Compiled> compiled = Caffeine.newBuilder().weakKeys().build();

    public BlockConditions(GatewayLookup lookup) {
        this.lookup = lookup;
    }

    /** Whether an API or IP/IPRANGE condition of the API's tenant blocks this call. */
    public boolean blockedBeforeAuthentication(String tenant, String apiContext, byte[] clientIp) {
        Compiled c = compiled(tenant);
        if (c.isEmpty()) {
            return false;
        }
        if (c.apiContexts.contains(apiContext)) {
            return true;
        }
        if (clientIp == null) {
            return false;
        }
        for (IpRule rule : c.ipRules) {
            if (rule.blocks(clientIp)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a USER or APPLICATION condition blocks this caller. */
    public boolean blockedAfterAuthentication(String tenant, String user, Application application) {
        Compiled c = compiled(tenant);
        if (c.isEmpty()) {
            return false;
        }
        if (user != null && !c.users.isEmpty()) {
            if (c.users.contains(user)) {
                return true;
            }
            int at = user.lastIndexOf('@');
            // WSO2 user conditions may name the user with or without the tenant domain.
            if (at > 0 && c.users.contains(user.substring(0, at))) {
                return true;
            }
            if (at < 0 && c.users.contains(user + "@" + tenant)) {
                return true;
            }
        }
        if (application != null && !c.applications.isEmpty()) {
            return c.applications.contains(application.owner() + ":" + application.name());
        }
        return false;
    }

    private Compiled compiled(String tenant) {
        List<BlockCondition> conditions = lookup.blockConditions(tenant);
        if (conditions == null || conditions.isEmpty()) {
            return Compiled.EMPTY;
        }
        return compiled.get(conditions, Compiled::of);
    }

    private record IpRule(byte[] start, byte[] end, boolean invert) {
        boolean blocks(byte[] ip) {
            return ClientAddresses.inRange(ip, start, end) != invert;
        }
    }

    private record Compiled(Set<String> apiContexts, Set<String> applications, Set<String> users,
                            List<IpRule> ipRules) {

        static final Compiled EMPTY = new Compiled(Set.of(), Set.of(), Set.of(), List.of());

        boolean isEmpty() {
            return this == EMPTY;
        }

        static Compiled of(List<BlockCondition> conditions) {
            Set<String> apis = new HashSet<>();
            Set<String> apps = new HashSet<>();
            Set<String> users = new HashSet<>();
            List<IpRule> ips = new ArrayList<>();
            for (BlockCondition b : conditions) {
                String type = b.type() == null ? "" : b.type().toUpperCase(Locale.ROOT);
                String value = b.value() == null ? "" : b.value().trim();
                switch (type) {
                    case "API" -> apis.add(value);
                    case "APPLICATION" -> apps.add(value);
                    case "USER" -> users.add(value);
                    case "IP" -> {
                        byte[] ip = IpAddresses.parse(value).orElse(null);
                        if (ip == null) {
                            log.warn("ignoring block condition {}: {} is not an IP address", b.conditionId(), value);
                        } else {
                            ips.add(new IpRule(ip, ip, b.invert()));
                        }
                    }
                    case "IPRANGE" -> {
                        int dash = value.indexOf('-');
                        byte[] start = dash < 0 ? null : IpAddresses.parse(value.substring(0, dash).trim()).orElse(null);
                        byte[] end = dash < 0 ? null : IpAddresses.parse(value.substring(dash + 1).trim()).orElse(null);
                        if (start == null || end == null || start.length != end.length) {
                            log.warn("ignoring block condition {}: {} is not an IP range", b.conditionId(), value);
                        } else if (IpAddresses.compare(start, end) > 0) {
                            ips.add(new IpRule(end, start, b.invert()));
                        } else {
                            ips.add(new IpRule(start, end, b.invert()));
                        }
                    }
                    default -> log.warn("ignoring block condition {} of unknown type {}", b.conditionId(), type);
                }
            }
            return new Compiled(Set.copyOf(apis), Set.copyOf(apps), Set.copyOf(users), List.copyOf(ips));
        }

        @Override
        public String toString() {
            return "Compiled" + Arrays.asList(apiContexts, applications, users, ipRules.size());
        }
    }
}
