package dev.apim.domain.subscription.command;


import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Rejects a subscription (or its pending tier change) after its workflow. */
public record RejectSubscription(@TargetAggregateIdentifier String subscriptionId, String reason) {}
