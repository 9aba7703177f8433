package dev.apim.domain.policy;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;

/**
 * Port for the set-based rule "a policy name is unique per tenant and level" (case-insensitive). The command
 * side implements it with a claim table written in the same transaction as the events, which also answers
 * {@link ThrottlePolicyCatalog}.
 */
public interface ThrottlePolicyRegistry {

    /** Claims the name for the policy, or throws {@code DomainException(POLICY_ALREADY_EXISTS)}. */
    void claim(String tenant, Level level, String name, String policyId, boolean requiresApproval);

    /** Records whether subscriptions under the policy need approval. */
    void updateApproval(String tenant, Level level, String name, String policyId, boolean requiresApproval);

    /** Releases the name held by the policy; releasing a name it does not hold does nothing. */
    void release(String tenant, Level level, String name, String policyId);
}
