package dev.apim.domain.api.event;

import dev.apim.domain.api.ApiDefinition;

/** An API was created in the CREATED state. */
public record ApiCreated(String apiId, String tenant, ApiDefinition definition, String openApiDefinition) {}
