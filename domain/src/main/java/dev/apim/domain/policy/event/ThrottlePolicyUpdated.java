package dev.apim.domain.policy.event;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;

/** A throttling policy's definition was replaced (its name is unchanged). */
public record ThrottlePolicyUpdated(String policyId, String tenant, Level level, ThrottlePolicyDefinition definition) {}
