-- Deny policies (WSO2's AM_BLOCK_CONDITIONS), a read model of BlockCondition events.
CREATE TABLE block_condition (
    condition_id      VARCHAR(64)  PRIMARY KEY,
    tenant            VARCHAR(255) NOT NULL,
    condition_type    VARCHAR(16)  NOT NULL,
    condition_value   VARCHAR(255),
    fixed_ip          VARCHAR(64),
    starting_ip       VARCHAR(64),
    ending_ip         VARCHAR(64),
    invert            BOOLEAN      NOT NULL DEFAULT FALSE,
    enabled           BOOLEAN      NOT NULL,
    aggregate_version BIGINT       NOT NULL,
    created_time      TIMESTAMPTZ  NOT NULL,
    updated_time      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX block_condition_tenant ON block_condition (tenant, condition_type);
