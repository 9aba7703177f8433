package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Replaces the API's design; name, context and version cannot change. */
public record UpdateApi(@TargetAggregateIdentifier String apiId, @TargetAggregateVersion Long expectedVersion, ApiDefinition definition, String openApiDefinition) {}
