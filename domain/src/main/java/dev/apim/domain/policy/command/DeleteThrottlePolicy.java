package dev.apim.domain.policy.command;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Deletes a policy nothing uses and releases its name. {@code level} is the level the caller addressed. */
public record DeleteThrottlePolicy(@TargetAggregateIdentifier String policyId,
                                   @TargetAggregateVersion Long expectedVersion, String tenant, Level level) {}
