-- Read model of throttling policies for the Admin portal and, later, the gateways (rebuilt from events;
-- every write is an idempotent upsert or a version-guarded update).
CREATE TABLE throttle_policy (
    policy_id         VARCHAR(64)  PRIMARY KEY,
    tenant            VARCHAR(255) NOT NULL,
    policy_level      VARCHAR(32)  NOT NULL,
    name              VARCHAR(255) NOT NULL,
    display_name      VARCHAR(255) NOT NULL,
    description       TEXT,
    definition        JSONB        NOT NULL,
    requires_approval BOOLEAN      NOT NULL DEFAULT FALSE,
    aggregate_version BIGINT       NOT NULL,
    created_by        VARCHAR(255),
    created_time      TIMESTAMPTZ  NOT NULL,
    updated_time      TIMESTAMPTZ  NOT NULL
);
CREATE UNIQUE INDEX throttle_policy_name ON throttle_policy (tenant, policy_level, lower(name));
