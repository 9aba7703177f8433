package dev.apim.platform.wso2.publisher;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** WSO2 Publisher v4's {@code Subscription} object (read only): note WSO2's {@code subscriptionStatus} here. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SubscriptionDto(
        String subscriptionId,
        ApplicationInfo applicationInfo,
        String throttlingPolicy,
        String requestedThrottlingPolicy,
        String subscriptionStatus,
        Map<String, Object> redirectionParams) {

    /** WSO2 Publisher's {@code ApplicationInfo}. */
    public record ApplicationInfo(String applicationId, String name, String subscriber, String description,
                                  Integer subscriptionCount) {}

    /** WSO2 Publisher's {@code SubscriptionList}. */
    public record ListDto(int count, List<SubscriptionDto> list, Pagination pagination) {}

    /** WSO2's {@code Pagination}. */
    public record Pagination(int offset, int limit, long total, String next, String previous) {}
}
