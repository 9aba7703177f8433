package dev.apim.platform.wso2.publisher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** WSO2's {@code Document}. */
@JsonIgnoreProperties(value = {"documentId", "createdTime", "lastUpdatedTime", "createdBy", "lastUpdatedBy",
        "fileName", "inlineContent"}, allowGetters = true)
public record DocumentDto(String documentId, String name, String type, String summary, String sourceType,
                         String sourceUrl, String fileName, String inlineContent, String otherTypeName,
                         String visibility, String createdTime, String createdBy, String lastUpdatedTime,
                         String lastUpdatedBy) {}
