package dev.apim.domain.policy.event;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;

/** A throttling policy was created. */
public record ThrottlePolicyCreated(String policyId, String tenant, Level level, ThrottlePolicyDefinition definition) {}
