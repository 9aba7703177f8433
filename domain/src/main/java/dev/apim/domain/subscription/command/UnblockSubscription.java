package dev.apim.domain.subscription.command;


import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The publisher lifts a block. */
public record UnblockSubscription(@TargetAggregateIdentifier String subscriptionId) {}
