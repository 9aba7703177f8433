package dev.apim.domain.api.event;

import dev.apim.domain.api.ApiDocument;

/** A document's metadata was replaced. */
public record ApiDocumentUpdated(String apiId, String documentId, ApiDocument document) {}
