package dev.apim.query.devportal;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** The Developer Portal v3 shapes this slice answers with, named and shaped as in WSO2's devportal-api.yaml. */
public final class DevportalDtos {

    private DevportalDtos() {}

    /** WSO2's {@code APIList}. */
    public record ApiList(int count, List<ApiInfo> list, Pagination pagination) {}

    /** WSO2's {@code Pagination}. */
    public record Pagination(int offset, int limit, long total, String next, String previous) {}

    /** WSO2's devportal {@code APIInfo}. */
    public record ApiInfo(String id, String name, String description, String context, String version, String type,
                          String provider, String lifeCycleStatus, List<String> throttlingPolicies, String thumbnailUri,
                          String avgRating, Boolean isSubscriptionAvailable, String createdTime, String updatedTime) {}

    /** WSO2's devportal {@code API}. */
    public record Api(String id, String name, String description, String context, String version, String provider,
                      String lifeCycleStatus, Boolean isDefaultVersion, String type, List<String> transport,
                      String authorizationHeader, List<String> securityScheme, List<String> tags, List<Tier> tiers,
                      Boolean hasThumbnail, List<EndpointUrl> endpointURLs, Map<String, String> businessInformation,
                      List<Operation> operations, String avgRating, Boolean isSubscriptionAvailable,
                      String createdTime, String lastUpdatedTime) {}

    /** A subscription tier the API offers. */
    public record Tier(String tierName, String tierPlan, Map<String, String> monetizationAttributes) {}

    /** Where an environment serves the API. */
    public record EndpointUrl(String environmentName, String environmentDisplayName, String environmentType,
                              @JsonProperty("URLs") Urls urls, Urls defaultVersionURLs) {}

    /** Gateway URLs by scheme (absent schemes are null). */
    public record Urls(String http, String https, String ws, String wss) {}

    /** One resource of the API. */
    public record Operation(String target, String verb, String authType, String throttlingPolicy, List<String> scopes) {}

    /** WSO2's {@code Document} as the Developer Portal shows it. */
    public record Document(String documentId, String name, String type, String summary, String sourceType,
                           String sourceUrl, String otherTypeName, String visibility, String createdTime,
                           String lastUpdatedTime) {}

    /** WSO2's {@code DocumentList}. */
    public record DocumentList(int count, List<Document> list, Pagination pagination) {}
}
