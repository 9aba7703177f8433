package dev.apim.domain.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the inline or markdown content of a document. */
public record UpdateApiDocumentContent(@TargetAggregateIdentifier String apiId, String documentId, String content) {}
