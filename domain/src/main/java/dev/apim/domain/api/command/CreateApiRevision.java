package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Takes an immutable snapshot of the API's current design. */
public record CreateApiRevision(@TargetAggregateIdentifier String apiId, String revisionId, String description) {}
