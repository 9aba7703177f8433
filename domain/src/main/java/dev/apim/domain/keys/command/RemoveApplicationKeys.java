package dev.apim.domain.keys.command;

import dev.apim.domain.common.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The owner (or an administrator) removes a key mapping; the keys stop working and the mapping is gone. */
public record RemoveApplicationKeys(@TargetAggregateIdentifier String keysId, Requester requester) {}
