package dev.apim.domain.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Takes an immutable snapshot of the API's current design. */
public record CreateApiRevision(@TargetAggregateIdentifier String apiId, String revisionId, String description) {}
