package dev.apim.domain.api.command;

import dev.apim.domain.api.ApiDefinition;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * Replaces the API's design; name, context and version cannot change. A null OpenAPI document keeps the
 * provider's document (operations are merged into it when it is read).
 */
public record UpdateApi(@TargetAggregateIdentifier String apiId, @TargetAggregateVersion Long expectedVersion, ApiDefinition definition, String openApiDefinition) {}
