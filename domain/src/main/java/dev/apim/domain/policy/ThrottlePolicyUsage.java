package dev.apim.domain.policy;

import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;

import java.util.List;

/** Port for the rule "a policy in use cannot be deleted": who uses a policy, by name. */
public interface ThrottlePolicyUsage {

    /** Short descriptions of what uses the policy (for the error message); empty when nothing does. */
    List<String> usersOf(String tenant, Level level, String name);
}
