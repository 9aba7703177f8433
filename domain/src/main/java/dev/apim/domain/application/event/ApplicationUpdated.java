package dev.apim.domain.application.event;

import java.util.List;
import java.util.Map;

/** An application's details were replaced (the full new state, not a difference). */
public record ApplicationUpdated(String applicationId, String tenant, String owner, String name, String description,
                                 String throttlingPolicy, String tokenType, Map<String, String> attributes,
                                 List<String> groups) {}
