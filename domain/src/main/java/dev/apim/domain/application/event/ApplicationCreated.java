package dev.apim.domain.application.event;

import java.util.List;
import java.util.Map;

/** An application was created for its owner. */
public record ApplicationCreated(String applicationId, String tenant, String owner, String name, String description,
                                 String throttlingPolicy, String tokenType, Map<String, String> attributes,
                                 List<String> groups) {}
