package dev.apim.domain.subscription.command;

import dev.apim.domain.common.Requester;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The subscriber moves the subscription to another tier the API offers. */
public record ChangeSubscriptionTier(@TargetAggregateIdentifier String subscriptionId, String throttlingPolicy, Requester requester) {}
