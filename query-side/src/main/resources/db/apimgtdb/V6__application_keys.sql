-- Read model of applications' OAuth2 key mappings (rebuilt from events; every write is idempotent).
-- The consumer secret (even its hash) is never stored here.
CREATE TABLE application_keys (
    keys_id                          VARCHAR(128) PRIMARY KEY,
    key_mapping_id                   VARCHAR(64)  NOT NULL UNIQUE,
    tenant                           VARCHAR(255) NOT NULL,
    application_id                   VARCHAR(64)  NOT NULL,
    application_owner                VARCHAR(255) NOT NULL,
    key_type                         VARCHAR(16)  NOT NULL,
    consumer_key                     VARCHAR(64)  NOT NULL UNIQUE,
    grant_types                      TEXT[]       NOT NULL,
    callback_url                     TEXT,
    application_access_token_seconds BIGINT       NOT NULL,
    user_access_token_seconds        BIGINT       NOT NULL,
    refresh_token_seconds            BIGINT       NOT NULL,
    id_token_seconds                 BIGINT       NOT NULL,
    state                            VARCHAR(16)  NOT NULL CHECK (state IN ('ACTIVE', 'REVOKED')),
    aggregate_version                BIGINT       NOT NULL,
    created_time                     TIMESTAMPTZ  NOT NULL,
    updated_time                     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX application_keys_application ON application_keys (tenant, application_id);
