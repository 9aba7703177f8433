-- Refresh tokens of the Key Manager: operational state, not a read model (never rebuilt from events).
-- Only a SHA-256 digest of each opaque token is kept. Tokens rotate: each use marks the row ROTATED and issues a
-- new one in the same family; presenting a ROTATED token again (reuse) revokes the whole family.
CREATE TABLE refresh_token (
    token_hash        CHAR(64)     PRIMARY KEY,
    family_id         UUID         NOT NULL,
    consumer_key      VARCHAR(256) NOT NULL,
    tenant            VARCHAR(255) NOT NULL,
    username          VARCHAR(255) NOT NULL,
    scopes            TEXT[]       NOT NULL,
    key_type          VARCHAR(16)  NOT NULL,
    state             VARCHAR(16)  NOT NULL CHECK (state IN ('ACTIVE', 'ROTATED', 'REVOKED')),
    issued_at         TIMESTAMPTZ  NOT NULL,
    expires_at        TIMESTAMPTZ  NOT NULL,
    access_jti        VARCHAR(64)  NOT NULL,
    access_expires_at TIMESTAMPTZ  NOT NULL,
    changed_at        TIMESTAMPTZ
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_expiry ON refresh_token (expires_at);
