package dev.apim.domain.policy.command;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a throttling policy of a level; its name is claimed for the tenant and level. */
public record CreateThrottlePolicy(@TargetAggregateIdentifier String policyId, String tenant, Level level,
                                   ThrottlePolicyDefinition definition) {}
