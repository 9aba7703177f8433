package dev.apim.domain.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Removes a revision from the named environments (all of its environments when the list is empty). */
public record UndeployApiRevision(@TargetAggregateIdentifier String apiId, String revisionId, List<String> environments) {}
