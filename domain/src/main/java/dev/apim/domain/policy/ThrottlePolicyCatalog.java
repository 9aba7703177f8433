package dev.apim.domain.policy;

import java.util.Optional;

/**
 * Port: the throttling policies that exist, by tenant, level and name (case-insensitive). Other aggregates
 * use it to refuse a policy that does not exist; the command side answers from the policy claim table,
 * consistent with the event store.
 */
public interface ThrottlePolicyCatalog {

    /** WSO2's policy levels. */
    enum Level { APPLICATION, SUBSCRIPTION, API }

    /** A policy as other aggregates need to know it. */
    record PolicyRef(String policyId, String name, boolean requiresApproval) {}

    Optional<PolicyRef> find(String tenant, Level level, String name);
}
