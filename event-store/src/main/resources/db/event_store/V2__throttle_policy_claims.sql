-- Throttling policy names, unique per tenant and level, written by the command side in the same transaction
-- as the policy's events. Other slices read it (ThrottlePolicyCatalog) to check a policy exists, strongly
-- consistent with the event store.
CREATE TABLE throttle_policy_claim (
    tenant            VARCHAR(255) NOT NULL,
    policy_level      VARCHAR(32)  NOT NULL,
    name_key          VARCHAR(255) NOT NULL,
    name              VARCHAR(255) NOT NULL,
    policy_id         VARCHAR(64)  NOT NULL,
    requires_approval BOOLEAN      NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tenant, policy_level, name_key)
);
CREATE UNIQUE INDEX throttle_policy_claim_id ON throttle_policy_claim (policy_id);
