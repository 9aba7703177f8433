package dev.apim.platform.wso2.publisher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** WSO2's {@code APIRevisionDeployment}: one environment a revision is deployed to. */
@JsonIgnoreProperties(value = {"revisionUuid", "status", "deployedTime", "successDeployedTime"}, allowGetters = true)
public record DeploymentDto(String revisionUuid, String name, String vhost, Boolean displayOnDevportal,
                            String status, String deployedTime, String successDeployedTime) {}
