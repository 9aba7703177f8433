package dev.apim.domain.api.command;

import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.ApiScope;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Replaces the API's OpenAPI document with the operations and scopes parsed from it. */
public record UpdateApiOpenApi(@TargetAggregateIdentifier String apiId, @TargetAggregateVersion Long expectedVersion,
                               String openApiDefinition, List<ApiOperation> operations, List<ApiScope> scopes) {}
