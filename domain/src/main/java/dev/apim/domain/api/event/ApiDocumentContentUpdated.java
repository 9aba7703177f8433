package dev.apim.domain.api.event;

import dev.apim.domain.api.*;

import java.util.List;

/** A document's inline content was replaced. */
public record ApiDocumentContentUpdated(String apiId, String documentId, String content) {}
