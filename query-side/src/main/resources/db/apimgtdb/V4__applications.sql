-- Read model of Developer Portal applications (rebuilt from events; every write is idempotent).
CREATE TABLE application (
    application_id    VARCHAR(64)  PRIMARY KEY,
    tenant            VARCHAR(255) NOT NULL,
    owner             VARCHAR(255) NOT NULL,
    name              VARCHAR(255) NOT NULL,
    throttling_policy VARCHAR(255) NOT NULL,
    description       TEXT,
    token_type        VARCHAR(32)  NOT NULL,
    attributes        JSONB        NOT NULL DEFAULT '{}',
    groups            TEXT[]       NOT NULL DEFAULT '{}',
    aggregate_version BIGINT       NOT NULL,
    created_time      TIMESTAMPTZ  NOT NULL,
    updated_time      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX application_owner_name ON application (tenant, owner, lower(name));
CREATE INDEX application_policy ON application (tenant, throttling_policy);
