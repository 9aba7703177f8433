package dev.apim.domain.keys.command;

import dev.apim.domain.common.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the consumer secret (given as the slow hash of a new secret); the old secret stops working. */
public record RegenerateConsumerSecret(@TargetAggregateIdentifier String keysId, String consumerSecretHash,
                                       Requester requester) {}
