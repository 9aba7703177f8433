package dev.apim.domain.subscription.command;

import dev.apim.domain.common.Requester;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Subscribes an application to an API with a tier; needs approval when the tier says so. */
public record CreateSubscription(@TargetAggregateIdentifier String subscriptionId, String tenant, String apiId, String applicationId, String throttlingPolicy, Requester requester) {}
