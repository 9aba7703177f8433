package dev.apim.domain.api.event;

import dev.apim.domain.api.*;

import java.util.List;

/** A document's metadata was replaced. */
public record ApiDocumentUpdated(String apiId, String documentId, ApiDocument document) {}
