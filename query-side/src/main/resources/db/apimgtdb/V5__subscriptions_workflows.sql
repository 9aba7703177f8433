-- Subscriptions (WSO2's AM_SUBSCRIPTION) and approval workflows (AM_WORKFLOWS), rebuilt from events.
CREATE TABLE subscription (
    subscription_id   VARCHAR(64)  PRIMARY KEY,
    tenant            VARCHAR(255) NOT NULL,
    api_id            VARCHAR(64)  NOT NULL,
    application_id    VARCHAR(64)  NOT NULL,
    throttling_policy VARCHAR(255) NOT NULL,
    requested_policy  VARCHAR(255),
    status            VARCHAR(32)  NOT NULL,
    status_before_tier_change VARCHAR(32),
    subscriber        VARCHAR(255) NOT NULL,
    aggregate_version BIGINT       NOT NULL,
    created_time      TIMESTAMPTZ  NOT NULL,
    updated_time      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX subscription_api ON subscription (tenant, api_id);
CREATE INDEX subscription_application ON subscription (tenant, application_id);

CREATE TABLE workflow (
    workflow_reference_id VARCHAR(64)  PRIMARY KEY,
    tenant                VARCHAR(255) NOT NULL,
    workflow_type         VARCHAR(64)  NOT NULL,
    reference_id          VARCHAR(64)  NOT NULL,
    status                VARCHAR(32)  NOT NULL,
    description           TEXT,
    properties            JSONB        NOT NULL DEFAULT '{}',
    deadline              TIMESTAMPTZ,
    decided_by            VARCHAR(255),
    decision_description  TEXT,
    created_time          TIMESTAMPTZ  NOT NULL,
    updated_time          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX workflow_open ON workflow (tenant, status, workflow_type);
CREATE INDEX workflow_deadline ON workflow (deadline) WHERE status = 'CREATED';
