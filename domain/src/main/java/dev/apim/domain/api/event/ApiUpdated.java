package dev.apim.domain.api.event;

import dev.apim.domain.api.ApiDefinition;

/** An API's design was replaced; a null OpenAPI document means the provider's document is unchanged. */
public record ApiUpdated(String apiId, ApiDefinition definition, String openApiDefinition) {}
