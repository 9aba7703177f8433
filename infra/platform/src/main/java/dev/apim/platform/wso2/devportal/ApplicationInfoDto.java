package dev.apim.platform.wso2.devportal;

import dev.apim.domain.application.ApplicationDetails;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** WSO2 Developer Portal v3's {@code ApplicationInfo}: an entry of an application list. */
public record ApplicationInfoDto(String applicationId, String name, String throttlingPolicy, String description,
                                 String status, List<String> groups, int subscriptionCount,
                                 Map<String, String> attributes, String owner, String tokenType, String createdTime,
                                 String updatedTime) {

    public static ApplicationInfoDto of(String applicationId, String owner, ApplicationDetails details,
                                        Instant created, Instant updated) {
        return new ApplicationInfoDto(applicationId, details.name(), details.throttlingPolicy(),
                details.description(), ApplicationDto.APPROVED, details.groups(), 0, details.attributes(), owner,
                details.tokenType(), ApplicationDto.epochMillis(created), ApplicationDto.epochMillis(updated));
    }
}
