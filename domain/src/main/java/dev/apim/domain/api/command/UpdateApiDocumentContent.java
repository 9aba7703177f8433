package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Replaces the inline or markdown content of a document. */
public record UpdateApiDocumentContent(@TargetAggregateIdentifier String apiId, String documentId, String content) {}
