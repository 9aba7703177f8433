package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Replaces a document's metadata. */
public record UpdateApiDocument(@TargetAggregateIdentifier String apiId, String documentId, ApiDocument document) {}
