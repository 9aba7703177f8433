package dev.apim.domain.subscription.command;


import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Approves a subscription (or its pending tier change) after its workflow. */
public record ApproveSubscription(@TargetAggregateIdentifier String subscriptionId) {}
