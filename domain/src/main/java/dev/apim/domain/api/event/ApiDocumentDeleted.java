package dev.apim.domain.api.event;

/** A document was removed. */
public record ApiDocumentDeleted(String apiId, String documentId) {}
