-- Deny policies (block conditions), unique per tenant, type and canonical value; written by the command side
-- in the same transaction as the condition's events, so a lost race leaves neither claim nor event.
CREATE TABLE block_condition_claim (
    tenant         VARCHAR(255) NOT NULL,
    condition_type VARCHAR(16)  NOT NULL,
    value_key      VARCHAR(600) NOT NULL,
    condition_id   VARCHAR(64)  NOT NULL,
    PRIMARY KEY (tenant, condition_type, value_key)
);
CREATE UNIQUE INDEX block_condition_claim_id ON block_condition_claim (condition_id);
