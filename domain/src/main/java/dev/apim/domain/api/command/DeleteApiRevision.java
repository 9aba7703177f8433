package dev.apim.domain.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Deletes a revision that is not deployed anywhere. */
public record DeleteApiRevision(@TargetAggregateIdentifier String apiId, String revisionId) {}
