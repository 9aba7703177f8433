package dev.apim.gateway.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A throttling policy as the gateway enforces it.
 *
 * @param defaultLimit     the limit that applies when no conditional group matches
 * @param burst            burst control (subscription policies), or null
 * @param stopOnQuotaReach false: over-quota calls still pass (WSO2's "stop on quota reach" off), only counted
 * @param conditionalGroups API/resource (advanced) policies: the first matching group's limit replaces the default
 */
public record Policy(Level level, String tenant, String name, Limit defaultLimit, Limit burst,
                     boolean stopOnQuotaReach, List<ConditionalGroup> conditionalGroups) {

    public enum Level { APPLICATION, SUBSCRIPTION, API }

    public Policy {
        conditionalGroups = List.copyOf(conditionalGroups == null ? List.of() : conditionalGroups);
    }

    /** No limit at all (WSO2's {@code Unlimited}). */
    public boolean unlimited() {
        return defaultLimit == null && burst == null && conditionalGroups.isEmpty();
    }

    /**
     * @param type     REQUEST_COUNT (amount = requests) or BANDWIDTH (amount = bytes)
     * @param amount   allowed per window
     * @param window   the unit time
     */
    public record Limit(Type type, long amount, Duration window) {
        public enum Type { REQUEST_COUNT, BANDWIDTH }
    }

    /**
     * A conditional group of an advanced policy: applies when every condition holds.
     *
     * @param conditions type (IPRANGE, IPSPECIFIC, HEADER, QUERYPARAMETER, JWTCLAIMS) to its parameters, as WSO2's
     *                   condition objects (e.g. {@code headerName}, {@code headerValue}, {@code invertCondition})
     */
    public record ConditionalGroup(String description, List<Map<String, Object>> conditions, Limit limit) {
        public ConditionalGroup {
            conditions = List.copyOf(conditions == null ? List.of() : conditions);
        }
    }
}
