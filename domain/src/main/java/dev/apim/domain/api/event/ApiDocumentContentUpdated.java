package dev.apim.domain.api.event;

/** A document's inline content was replaced. */
public record ApiDocumentContentUpdated(String apiId, String documentId, String content) {}
