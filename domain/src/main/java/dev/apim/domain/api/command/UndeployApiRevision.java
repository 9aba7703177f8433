package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Removes a revision from the named environments (all of its environments when the list is empty). */
public record UndeployApiRevision(@TargetAggregateIdentifier String apiId, String revisionId, List<String> environments) {}
