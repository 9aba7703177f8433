-- Set-based rule: an application name is unique per owner and tenant, ignoring case. Written by the command
-- side in the same transaction as the application's events, so a refused claim rolls the events back with it.
-- Other slices read it by these column names (e.g. to find an owner's application by name).
CREATE TABLE application_name_claim (
    tenant         VARCHAR(255) NOT NULL,
    owner          VARCHAR(255) NOT NULL,
    name_key       VARCHAR(255) NOT NULL,
    name           VARCHAR(255) NOT NULL,
    application_id VARCHAR(64)  NOT NULL,
    PRIMARY KEY (tenant, owner, name_key)
);
CREATE INDEX application_name_claim_app ON application_name_claim (application_id);
