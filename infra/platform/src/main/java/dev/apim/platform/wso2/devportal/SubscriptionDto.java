package dev.apim.platform.wso2.devportal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * WSO2 Developer Portal v3's {@code Subscription} object. As a request only {@code apiId}, {@code applicationId},
 * {@code throttlingPolicy} and {@code requestedThrottlingPolicy} are read; the server-set fields are accepted and
 * ignored; any other field is refused.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(value = {"subscriptionId", "apiInfo", "applicationInfo", "status", "redirectionParams"},
        allowGetters = true)
public record SubscriptionDto(
        String subscriptionId,
        String applicationId,
        String apiId,
        ApiInfo apiInfo,
        ApplicationInfo applicationInfo,
        String throttlingPolicy,
        String requestedThrottlingPolicy,
        String status,
        Map<String, Object> redirectionParams) {

    /** WSO2's {@code APIInfo} as embedded in a subscription. */
    public record ApiInfo(String id, String name, String description, String context, String version, String type,
                          String provider, String lifeCycleStatus) {}

    /** WSO2's {@code ApplicationInfo} as embedded in a subscription. */
    public record ApplicationInfo(String applicationId, String name, String throttlingPolicy, String description,
                                  String status, String owner, String tokenType) {}

    /** The tier a change request asks for: WSO2's {@code requestedThrottlingPolicy}, else {@code throttlingPolicy}. */
    public String requestedTier() {
        return requestedThrottlingPolicy != null && !requestedThrottlingPolicy.isBlank() ? requestedThrottlingPolicy
                : throttlingPolicy;
    }
}
