-- API metadata for Developer Portal discovery (WSO2 keeps it in the shared database): one row per API,
-- rebuilt from Api events, with a weighted full-text document over name, tags, context and description.
CREATE TABLE api_search (
    api_id            VARCHAR(64)  PRIMARY KEY,
    tenant            VARCHAR(255) NOT NULL,
    name              VARCHAR(255) NOT NULL,
    context           VARCHAR(255) NOT NULL,
    version           VARCHAR(64)  NOT NULL,
    provider          VARCHAR(255),
    description       TEXT,
    type              VARCHAR(32)  NOT NULL,
    tags              TEXT[]       NOT NULL DEFAULT '{}',
    policies          TEXT[]       NOT NULL DEFAULT '{}',
    lifecycle_status  VARCHAR(32)  NOT NULL,
    visibility        VARCHAR(32)  NOT NULL,
    -- lower-cased, compared with the caller's roles
    visible_roles     TEXT[]       NOT NULL DEFAULT '{}',
    search_document   TSVECTOR     NOT NULL,
    aggregate_version BIGINT       NOT NULL,
    created_time      TIMESTAMPTZ  NOT NULL,
    updated_time      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX api_search_document ON api_search USING gin (search_document);
CREATE INDEX api_search_listing ON api_search (tenant, lifecycle_status, lower(name));
CREATE INDEX api_search_tags ON api_search USING gin (tags);
