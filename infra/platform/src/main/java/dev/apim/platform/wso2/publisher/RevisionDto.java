package dev.apim.platform.wso2.publisher;

import java.util.List;

/** WSO2's {@code APIRevision}. */
public record RevisionDto(String displayName, String id, String description, String createdTime, ApiInfo apiInfo,
                          List<DeploymentDto> deploymentInfo) {

    /** WSO2's {@code APIRevisionAPIInfo}. */
    public record ApiInfo(String id) {}

    public static String displayName(int number) {
        return "Revision " + number;
    }
}
