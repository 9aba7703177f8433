package dev.apim.domain.subscription.command;

import dev.apim.domain.common.Requester;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The subscriber (or an administrator) ends the subscription. */
public record DeleteSubscription(@TargetAggregateIdentifier String subscriptionId, Requester requester) {}
