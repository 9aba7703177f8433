-- The Key Manager's read model of OAuth2 clients (rebuilt from events; every write is idempotent): application
-- key mappings (kind APPLICATION, from the ApplicationKeys events) and DCR management clients (kind MANAGEMENT,
-- from the OAuthClient events), one row per consumer key. Unlike application_keys, this table holds the slow
-- (Argon2) hash of the consumer secret: the token endpoint verifies client credentials against it. It is read
-- only by the Key Manager (platform.oauth.OAuthClientStore).
CREATE TABLE oauth_client (
    consumer_key                     VARCHAR(64)  PRIMARY KEY,
    secret_hash                      TEXT         NOT NULL,
    aggregate_id                     VARCHAR(255) NOT NULL,
    kind                             VARCHAR(16)  NOT NULL CHECK (kind IN ('APPLICATION', 'MANAGEMENT')),
    tenant                           VARCHAR(255) NOT NULL,
    owner                            VARCHAR(255) NOT NULL,
    -- DCR clientName; null for APPLICATION clients, whose name is the application's (joined when read).
    client_name                      VARCHAR(255),
    key_type                         VARCHAR(16)  NOT NULL,
    grant_types                      TEXT[]       NOT NULL,
    callback_url                     TEXT,
    application_access_token_seconds BIGINT       NOT NULL,
    user_access_token_seconds        BIGINT       NOT NULL,
    refresh_token_seconds            BIGINT       NOT NULL,
    id_token_seconds                 BIGINT       NOT NULL,
    active                           BOOLEAN      NOT NULL,
    -- Tokens of this client issued before this instant are revoked (TokensRevokedIssuedBefore).
    tokens_revoked_before            TIMESTAMPTZ,
    application_id                   VARCHAR(64),
    -- Version of the owning aggregate (ApplicationKeys or OAuthClient) last applied to this row.
    aggregate_version                BIGINT       NOT NULL,
    created_time                     TIMESTAMPTZ  NOT NULL,
    updated_time                     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX oauth_client_aggregate ON oauth_client (aggregate_id);
CREATE INDEX oauth_client_application ON oauth_client (application_id) WHERE application_id IS NOT NULL;

-- The issued-before cut-off per consumer key, kept apart from oauth_client so that it holds whichever of the
-- client's and the cut-off's events a (multi-segment) projection applies first; oauth_client.tokens_revoked_before
-- is filled from it when a client row is inserted. Only ever moves forward.
CREATE TABLE token_revocation_cutoff (
    consumer_key  VARCHAR(64)  PRIMARY KEY,
    tenant        VARCHAR(255) NOT NULL,
    issued_before TIMESTAMPTZ  NOT NULL,
    updated_time  TIMESTAMPTZ  NOT NULL
);

-- Access tokens revoked one by one (AccessTokenRevoked), kept until a little after they expire.
CREATE TABLE revoked_token (
    jti          VARCHAR(255) PRIMARY KEY,
    consumer_key VARCHAR(64)  NOT NULL,
    tenant       VARCHAR(255) NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL,
    revoked_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX revoked_token_expiry ON revoked_token (expires_at);
