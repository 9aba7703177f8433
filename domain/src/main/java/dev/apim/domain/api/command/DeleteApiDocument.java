package dev.apim.domain.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Removes a document. */
public record DeleteApiDocument(@TargetAggregateIdentifier String apiId, String documentId) {}
