-- Set-based rule: one subscription per API and application, written in the command's transaction.
CREATE TABLE subscription_claim (
    tenant          VARCHAR(255) NOT NULL,
    api_id          VARCHAR(64)  NOT NULL,
    application_id  VARCHAR(64)  NOT NULL,
    subscription_id VARCHAR(64)  NOT NULL,
    PRIMARY KEY (tenant, api_id, application_id)
);
CREATE UNIQUE INDEX subscription_claim_id ON subscription_claim (subscription_id);
