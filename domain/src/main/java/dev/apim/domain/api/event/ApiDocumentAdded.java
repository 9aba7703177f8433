package dev.apim.domain.api.event;

import dev.apim.domain.api.ApiDocument;

/** A document was added to the API. */
public record ApiDocumentAdded(String apiId, String documentId, ApiDocument document, String inlineContent) {}
