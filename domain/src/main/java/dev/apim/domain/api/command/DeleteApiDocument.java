package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Removes a document. */
public record DeleteApiDocument(@TargetAggregateIdentifier String apiId, String documentId) {}
