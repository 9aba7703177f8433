package dev.apim.domain.api.event;

import dev.apim.domain.api.*;

import java.util.List;

/** An API's design was replaced. */
public record ApiUpdated(String apiId, ApiDefinition definition, String openApiDefinition) {}
