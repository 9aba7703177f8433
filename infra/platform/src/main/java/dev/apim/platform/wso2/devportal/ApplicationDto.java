package dev.apim.platform.wso2.devportal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.apim.domain.application.ApplicationDetails;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * WSO2 Developer Portal v3's {@code Application} object. As a request only {@code name}, {@code throttlingPolicy},
 * {@code description}, {@code tokenType}, {@code attributes} and {@code groups} are read; the server-set fields
 * (and WSO2's {@code visibility}/{@code sharedOrganization}, not modelled yet) are accepted and ignored; any
 * other field is refused.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(value = {"applicationId", "status", "subscriptionCount", "keys", "subscriptionScopes", "owner",
        "hashEnabled", "createdTime", "updatedTime", "visibility", "sharedOrganization"}, allowGetters = true)
public record ApplicationDto(
        String applicationId,
        String name,
        String throttlingPolicy,
        String description,
        String tokenType,
        String status,
        List<String> groups,
        Integer subscriptionCount,
        List<Object> keys,
        Map<String, String> attributes,
        List<Object> subscriptionScopes,
        String owner,
        Boolean hashEnabled,
        String createdTime,
        String updatedTime) {

    /** WSO2's status of an application whose creation needed no approval. */
    public static final String APPROVED = "APPROVED";

    /** The consumer's decisions carried by a request body (validated by the domain). */
    public ApplicationDetails details() {
        return new ApplicationDetails(name, description, throttlingPolicy, tokenType, attributes, groups);
    }

    /** The response for an application with these (validated) details. */
    public static ApplicationDto of(String applicationId, String owner, ApplicationDetails details, Instant created,
                                    Instant updated) {
        return new ApplicationDto(applicationId, details.name(), details.throttlingPolicy(), details.description(),
                details.tokenType(), APPROVED, details.groups(), 0, List.of(), details.attributes(), List.of(), owner,
                false, epochMillis(created), epochMillis(updated));
    }

    static String epochMillis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }
}
