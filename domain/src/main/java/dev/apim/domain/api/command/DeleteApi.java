package dev.apim.domain.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Deletes the API and releases its context and version. */
public record DeleteApi(@TargetAggregateIdentifier String apiId, @TargetAggregateVersion Long expectedVersion) {}
