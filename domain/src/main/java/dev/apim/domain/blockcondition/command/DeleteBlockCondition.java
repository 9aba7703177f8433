package dev.apim.domain.blockcondition.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Removes a deny policy of the caller's tenant. */
public record DeleteBlockCondition(@TargetAggregateIdentifier String conditionId, String tenant) {}
