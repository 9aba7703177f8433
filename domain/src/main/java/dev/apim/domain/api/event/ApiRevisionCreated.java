package dev.apim.domain.api.event;

import dev.apim.domain.api.ApiDefinition;

/** An immutable snapshot of the API's design was taken. */
public record ApiRevisionCreated(String apiId, String revisionId, int revisionNumber, String description, ApiDefinition definition, String openApiDefinition) {}
