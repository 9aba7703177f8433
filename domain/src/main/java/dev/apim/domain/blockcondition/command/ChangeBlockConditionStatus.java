package dev.apim.domain.blockcondition.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Enables or disables a deny policy of the caller's tenant. */
public record ChangeBlockConditionStatus(@TargetAggregateIdentifier String conditionId, String tenant,
                                         boolean enabled) {}
