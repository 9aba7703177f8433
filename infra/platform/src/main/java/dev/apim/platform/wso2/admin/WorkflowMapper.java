package dev.apim.platform.wso2.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Map;

/** Maps a stored workflow row ({@code apimgtdb.workflow}) to WSO2's {@code WorkflowInfo}. */
public final class WorkflowMapper {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {};

    private WorkflowMapper() {}

    public static WorkflowInfoDto info(String workflowReferenceId, String type, String status, Instant created,
                                       Instant updated, String propertiesJson, String description) {
        return new WorkflowInfoDto(type, status, created == null ? null : created.toString(),
                updated == null ? null : updated.toString(), workflowReferenceId, properties(propertiesJson),
                description);
    }

    private static Map<String, String> properties(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, PROPERTIES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored workflow properties are not a JSON object of strings", e);
        }
    }
}
