package dev.apim.domain.policy.command;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Replaces a policy's definition; the name cannot change. {@code level} is the level the caller addressed. */
public record UpdateThrottlePolicy(@TargetAggregateIdentifier String policyId,
                                   @TargetAggregateVersion Long expectedVersion, String tenant, Level level,
                                   ThrottlePolicyDefinition definition) {}
