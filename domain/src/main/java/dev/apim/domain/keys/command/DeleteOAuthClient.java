package dev.apim.domain.keys.command;

import dev.apim.domain.common.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The owner (or an administrator) deletes a DCR client: its credentials stop working and its tokens are dead. */
public record DeleteOAuthClient(@TargetAggregateIdentifier String clientId, Requester requester) {}
