package dev.apim.domain.api.command;

import dev.apim.domain.api.ApiDocument;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces a document's metadata. */
public record UpdateApiDocument(@TargetAggregateIdentifier String apiId, String documentId, ApiDocument document) {}
