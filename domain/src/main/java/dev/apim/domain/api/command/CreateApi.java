package dev.apim.domain.api.command;

import dev.apim.domain.api.ApiDefinition;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates an API in the CREATED state; the context and version are claimed for the tenant. */
public record CreateApi(@TargetAggregateIdentifier String apiId, String tenant, ApiDefinition definition, String openApiDefinition) {}
