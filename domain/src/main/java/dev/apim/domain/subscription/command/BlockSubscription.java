package dev.apim.domain.subscription.command;


import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The publisher blocks a subscription, for all keys or production keys only. */
public record BlockSubscription(@TargetAggregateIdentifier String subscriptionId, boolean productionOnly) {}
