package dev.apim.platform.wso2.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** WSO2 Admin v4's limit and condition objects shared by the three policy levels. */
public final class ThrottleLimitDtos {

    private ThrottleLimitDtos() {}

    /** WSO2's {@code ThrottleLimit}; event-count and AI quota limits are accepted as fields but refused by type. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(value = {"eventCount", "aiApiQuota"})
    public record ThrottleLimit(String type, RequestCountLimit requestCount, BandwidthLimit bandwidth) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestCountLimit(String timeUnit, Integer unitTime, Long requestCount) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BandwidthLimit(String timeUnit, Integer unitTime, Long dataAmount, String dataUnit) {}

    /** WSO2's {@code ConditionalGroup}. */
    public record ConditionalGroup(String description, List<ThrottleCondition> conditions, ThrottleLimit limit) {}

    /** WSO2's {@code ThrottleCondition}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ThrottleCondition(String type, Boolean invertCondition, HeaderCondition headerCondition,
                                    IPCondition ipCondition, QueryParameterCondition queryParameterCondition,
                                    JWTClaimsCondition jwtClaimsCondition) {}

    public record HeaderCondition(String headerName, String headerValue) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IPCondition(String ipConditionType, String specificIP, String startingIP, String endingIP) {}

    public record QueryParameterCondition(String parameterName, String parameterValue) {}

    public record JWTClaimsCondition(String claimUrl, String attribute) {}

    /** WSO2's {@code CustomAttribute}. */
    public record CustomAttribute(String name, String value) {}

    /** WSO2's policy lists: {@code {count, list}}. */
    public record PolicyList<T>(int count, List<T> list) {}
}
