package dev.apim.domain.policy.event;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;

/** A throttling policy was deleted; its name is free again. */
public record ThrottlePolicyDeleted(String policyId, String tenant, Level level, String policyName) {}
