-- Read model of APIs for the Publisher (rebuilt from events; every write is an idempotent upsert).
CREATE TABLE api (
    api_id           VARCHAR(64)  PRIMARY KEY,
    tenant           VARCHAR(255) NOT NULL,
    name             VARCHAR(255) NOT NULL,
    context          VARCHAR(255) NOT NULL,
    version          VARCHAR(64)  NOT NULL,
    provider         VARCHAR(255),
    description      TEXT,
    type             VARCHAR(32)  NOT NULL,
    lifecycle_status VARCHAR(32)  NOT NULL,
    definition       JSONB        NOT NULL,
    openapi          TEXT,
    aggregate_version BIGINT      NOT NULL,
    created_time     TIMESTAMPTZ  NOT NULL,
    updated_time     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX api_tenant_name ON api (tenant, lower(name));
CREATE INDEX api_search ON api USING gin (to_tsvector('simple', name || ' ' || context || ' ' || version || ' ' || coalesce(description, '')));

CREATE TABLE api_operation (
    api_id            VARCHAR(64)  NOT NULL REFERENCES api (api_id) ON DELETE CASCADE,
    verb              VARCHAR(16)  NOT NULL,
    target            VARCHAR(1024) NOT NULL,
    auth_type         VARCHAR(64)  NOT NULL,
    throttling_policy VARCHAR(255),
    scopes            TEXT[]       NOT NULL DEFAULT '{}',
    PRIMARY KEY (api_id, verb, target)
);

CREATE TABLE api_lifecycle_history (
    event_id       VARCHAR(255) PRIMARY KEY,
    api_id         VARCHAR(64)  NOT NULL,
    previous_state VARCHAR(32),
    post_state     VARCHAR(32)  NOT NULL,
    username       VARCHAR(255),
    updated_time   TIMESTAMPTZ  NOT NULL,
    seq            BIGINT       NOT NULL
);
CREATE INDEX api_lifecycle_history_api ON api_lifecycle_history (api_id, seq);

CREATE TABLE api_revision (
    revision_id  VARCHAR(64)  PRIMARY KEY,
    api_id       VARCHAR(64)  NOT NULL,
    number       INTEGER      NOT NULL,
    description  TEXT,
    definition   JSONB        NOT NULL,
    openapi      TEXT,
    created_time TIMESTAMPTZ  NOT NULL
);
CREATE INDEX api_revision_api ON api_revision (api_id, number);

CREATE TABLE api_deployment (
    api_id               VARCHAR(64)  NOT NULL,
    environment          VARCHAR(255) NOT NULL,
    revision_id          VARCHAR(64)  NOT NULL,
    vhost                VARCHAR(255) NOT NULL,
    display_on_devportal BOOLEAN      NOT NULL,
    deployed_time        TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (api_id, environment)
);

CREATE TABLE api_document (
    document_id     VARCHAR(64)  PRIMARY KEY,
    api_id          VARCHAR(64)  NOT NULL,
    name            VARCHAR(255) NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    summary         TEXT,
    source_type     VARCHAR(32)  NOT NULL,
    source_url      TEXT,
    visibility      VARCHAR(32),
    other_type_name VARCHAR(255),
    inline_content  TEXT,
    created_by      VARCHAR(255),
    created_time    TIMESTAMPTZ  NOT NULL,
    updated_by      VARCHAR(255),
    updated_time    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX api_document_api ON api_document (api_id);
