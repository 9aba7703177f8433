package dev.apim.domain.api.command;

import dev.apim.domain.api.ApiDocument;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Adds a document to the API. */
public record AddApiDocument(@TargetAggregateIdentifier String apiId, String documentId, ApiDocument document, String inlineContent) {}
