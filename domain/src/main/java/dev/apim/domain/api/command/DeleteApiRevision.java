package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Deletes a revision that is not deployed anywhere. */
public record DeleteApiRevision(@TargetAggregateIdentifier String apiId, String revisionId) {}
