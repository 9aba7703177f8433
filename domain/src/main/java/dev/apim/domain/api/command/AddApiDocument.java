package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Adds a document to the API. */
public record AddApiDocument(@TargetAggregateIdentifier String apiId, String documentId, ApiDocument document, String inlineContent) {}
