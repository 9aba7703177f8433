package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Creates an API in the CREATED state; the context and version are claimed for the tenant. */
public record CreateApi(@TargetAggregateIdentifier String apiId, String tenant, ApiDefinition definition, String openApiDefinition) {}
