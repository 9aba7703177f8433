package dev.apim.platform.wso2.publisher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * WSO2 Publisher v4's {@code API} object, field for field where we model it. Fields of WSO2's schema that
 * we accept but do not model yet are listed in {@link JsonIgnoreProperties} so WSO2 scripts can send them;
 * any other unknown field is refused.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(value = {"wsdlInfo", "wsdlUrl", "audience", "audiences", "categories", "keyManagers",
        "corsConfiguration", "mediationPolicies", "apiPolicies", "gatewayVendor", "gatewayType",
        "asyncTransportProtocols", "serviceInfo", "advertiseInfo", "monetization", "accessControl",
        "accessControlRoles", "subscriptionAvailability", "subscriptionAvailableTenants", "apiKeyHeader",
        "workflowStatus", "threatProtectionPolicies", "maxTps", "initiatedFromGateway", "egress", "threat",
        "enableStore", "enableSubscriberVerification", "websubSubscriptionConfiguration", "wsUriMapping",
        "responseCachingEnabled", "cacheTimeout", "hasThumbnail", "isRevision", "revisionedApiId", "revisionId",
        "enableSchemaValidation", "enableBackendJWT", "visibleOrganizations", "visibleTenants", "lifeCycleStatus",
        "id", "createdTime", "lastUpdatedTime", "lastUpdatedTimestamp", "additionalPropertiesMap", "scopePrefix",
        "isSubscriptionAvailable", "subtypeConfiguration", "apiThrottlingPolicyName", "displayName",
        "primaryProductionEndpointId", "primarySandboxEndpointId", "initiatedFromGateway", "organizationPolicies"},
        allowGetters = true)
public record ApiDto(
        String id,
        String name,
        String description,
        String context,
        String version,
        String provider,
        String lifeCycleStatus,
        Boolean responseCachingEnabled,
        Integer cacheTimeout,
        Boolean hasThumbnail,
        Boolean isDefaultVersion,
        Boolean isRevision,
        String revisionedApiId,
        Integer revisionId,
        Boolean enableSchemaValidation,
        String type,
        List<String> transport,
        List<String> tags,
        List<String> policies,
        String apiThrottlingPolicy,
        String authorizationHeader,
        List<String> securityScheme,
        String visibility,
        List<String> visibleRoles,
        List<String> visibleTenants,
        Map<String, Object> endpointConfig,
        String endpointImplementationType,
        List<OperationDto> operations,
        List<ScopeEntryDto> scopes,
        Map<String, String> businessInformation,
        List<AdditionalPropertyDto> additionalProperties,
        Map<String, String> additionalPropertiesMap,
        String createdTime,
        String lastUpdatedTime) {

    /** WSO2's {@code APIOperations}. */
    @JsonIgnoreProperties(value = {"id", "usedProductIds", "operationPolicies", "amznResourceName",
            "amznResourceTimeout", "amznResourceContentEncode", "payloadSchema", "uriMapping", "schemaDefinition"},
            allowGetters = true)
    public record OperationDto(String id, String target, String verb, String authType, String throttlingPolicy,
                               List<String> scopes, List<String> usedProductIds) {}

    /** WSO2's {@code APIScope}: a scope and whether it is shared. */
    public record ScopeEntryDto(ScopeDto scope, Boolean shared) {}

    /** WSO2's {@code Scope}. */
    @JsonIgnoreProperties(value = {"id", "usageCount"}, allowGetters = true)
    public record ScopeDto(String id, String name, String displayName, String description, List<String> bindings,
                           Integer usageCount) {}

    /** WSO2's additional property entry. */
    public record AdditionalPropertyDto(String name, String value, Boolean display) {}
}
