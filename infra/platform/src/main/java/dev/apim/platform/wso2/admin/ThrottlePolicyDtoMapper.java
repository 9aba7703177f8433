package dev.apim.platform.wso2.admin;

import dev.apim.domain.policy.ConditionalGroup;
import dev.apim.domain.policy.ThrottleCondition;
import dev.apim.domain.policy.ThrottleLimit;
import dev.apim.domain.policy.ThrottlePolicyDefinition;

import java.util.List;

/** Maps WSO2 Admin v4 policy objects to the domain's definition and back; the domain validates. */
public final class ThrottlePolicyDtoMapper {

    private ThrottlePolicyDtoMapper() {}

    // ---- requests ----

    public static ThrottlePolicyDefinition toDefinition(ApplicationThrottlePolicyDto dto) {
        return ThrottlePolicyDefinition.simple(dto.policyName(), dto.displayName(), dto.description(),
                limit(dto.defaultLimit()));
    }

    public static ThrottlePolicyDefinition toDefinition(SubscriptionThrottlePolicyDto dto) {
        List<ThrottlePolicyDefinition.CustomAttribute> attributes = dto.customAttributes() == null ? List.of()
                : dto.customAttributes().stream().map(a -> a == null ? null
                : new ThrottlePolicyDefinition.CustomAttribute(a.name(), a.value())).toList();
        return new ThrottlePolicyDefinition(dto.policyName(), dto.displayName(), dto.description(),
                limit(dto.defaultLimit()), dto.rateLimitCount() == null ? 0 : dto.rateLimitCount(),
                dto.rateLimitTimeUnit(), Boolean.TRUE.equals(dto.stopOnQuotaReach()),
                dto.billingPlan() == null ? "FREE" : dto.billingPlan(), attributes,
                Boolean.TRUE.equals(dto.requiresApproval()), List.of());
    }

    public static ThrottlePolicyDefinition toDefinition(AdvancedThrottlePolicyDto dto) {
        List<ConditionalGroup> groups = dto.conditionalGroups() == null ? List.of()
                : dto.conditionalGroups().stream().map(ThrottlePolicyDtoMapper::group).toList();
        return new ThrottlePolicyDefinition(dto.policyName(), dto.displayName(), dto.description(),
                limit(dto.defaultLimit()), 0, null, false, null, List.of(), false, groups);
    }

    private static ThrottleLimit limit(ThrottleLimitDtos.ThrottleLimit dto) {
        if (dto == null) {
            return null;
        }
        ThrottleLimitDtos.RequestCountLimit r = dto.requestCount();
        ThrottleLimitDtos.BandwidthLimit b = dto.bandwidth();
        return new ThrottleLimit(dto.type(),
                r == null ? null : new ThrottleLimit.RequestCount(r.timeUnit(), orZero(r.unitTime()),
                        r.requestCount() == null ? 0 : r.requestCount()),
                b == null ? null : new ThrottleLimit.Bandwidth(b.timeUnit(), orZero(b.unitTime()),
                        b.dataAmount() == null ? 0 : b.dataAmount(), b.dataUnit()));
    }

    private static ConditionalGroup group(ThrottleLimitDtos.ConditionalGroup dto) {
        if (dto == null) {
            return null;
        }
        List<ThrottleCondition> conditions = dto.conditions() == null ? List.of()
                : dto.conditions().stream().map(ThrottlePolicyDtoMapper::condition).toList();
        return new ConditionalGroup(dto.description(), conditions, limit(dto.limit()));
    }

    private static ThrottleCondition condition(ThrottleLimitDtos.ThrottleCondition dto) {
        if (dto == null) {
            return null;
        }
        var h = dto.headerCondition();
        var ip = dto.ipCondition();
        var q = dto.queryParameterCondition();
        var j = dto.jwtClaimsCondition();
        return new ThrottleCondition(dto.type(), Boolean.TRUE.equals(dto.invertCondition()),
                h == null ? null : new ThrottleCondition.HeaderCondition(h.headerName(), h.headerValue()),
                ip == null ? null : new ThrottleCondition.IpCondition(ip.ipConditionType(), ip.specificIP(),
                        ip.startingIP(), ip.endingIP()),
                q == null ? null : new ThrottleCondition.QueryParameterCondition(q.parameterName(), q.parameterValue()),
                j == null ? null : new ThrottleCondition.JwtClaimsCondition(j.claimUrl(), j.attribute()));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    // ---- responses ----

    public static ApplicationThrottlePolicyDto application(String policyId, ThrottlePolicyDefinition d) {
        return new ApplicationThrottlePolicyDto(policyId, d.policyName(), d.displayName(), d.description(), true,
                "ApplicationThrottlePolicy", limitDto(d.defaultLimit()));
    }

    public static SubscriptionThrottlePolicyDto subscription(String policyId, ThrottlePolicyDefinition d) {
        return new SubscriptionThrottlePolicyDto(policyId, d.policyName(), d.displayName(), d.description(), true,
                "SubscriptionThrottlePolicy", limitDto(d.defaultLimit()), d.rateLimitCount(),
                d.rateLimitTimeUnit(), d.customAttributes().stream()
                .map(a -> new ThrottleLimitDtos.CustomAttribute(a.name(), a.value())).toList(),
                d.stopOnQuotaReach(), d.billingPlan(), d.requiresApproval());
    }

    public static AdvancedThrottlePolicyDto advanced(String policyId, ThrottlePolicyDefinition d) {
        return new AdvancedThrottlePolicyDto(policyId, d.policyName(), d.displayName(), d.description(), true,
                "AdvancedThrottlePolicy", limitDto(d.defaultLimit()),
                d.conditionalGroups().stream().map(g -> new ThrottleLimitDtos.ConditionalGroup(g.description(),
                        g.conditions().stream().map(ThrottlePolicyDtoMapper::conditionDto).toList(),
                        limitDto(g.limit()))).toList());
    }

    private static ThrottleLimitDtos.ThrottleLimit limitDto(ThrottleLimit l) {
        var r = l.requestCount();
        var b = l.bandwidth();
        return new ThrottleLimitDtos.ThrottleLimit(l.type(),
                r == null ? null : new ThrottleLimitDtos.RequestCountLimit(r.timeUnit(), r.unitTime(), r.requestCount()),
                b == null ? null : new ThrottleLimitDtos.BandwidthLimit(b.timeUnit(), b.unitTime(), b.dataAmount(),
                        b.dataUnit()));
    }

    private static ThrottleLimitDtos.ThrottleCondition conditionDto(ThrottleCondition c) {
        var h = c.headerCondition();
        var ip = c.ipCondition();
        var q = c.queryParameterCondition();
        var j = c.jwtClaimsCondition();
        return new ThrottleLimitDtos.ThrottleCondition(c.type(), c.invertCondition(),
                h == null ? null : new ThrottleLimitDtos.HeaderCondition(h.headerName(), h.headerValue()),
                ip == null ? null : new ThrottleLimitDtos.IPCondition(ip.ipConditionType(), ip.specificIP(),
                        ip.startingIP(), ip.endingIP()),
                q == null ? null : new ThrottleLimitDtos.QueryParameterCondition(q.parameterName(), q.parameterValue()),
                j == null ? null : new ThrottleLimitDtos.JWTClaimsCondition(j.claimUrl(), j.attribute()));
    }
}
