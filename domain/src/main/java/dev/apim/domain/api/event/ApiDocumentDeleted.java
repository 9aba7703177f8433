package dev.apim.domain.api.event;

import dev.apim.domain.api.*;

import java.util.List;

/** A document was removed. */
public record ApiDocumentDeleted(String apiId, String documentId) {}
