-- The Key Manager's token signing keys: operational state of the Key Manager, not a read model (it is not
-- rebuilt from events). The private key is only ever stored sealed under the master key (AES-256-GCM,
-- see platform.jwt.KeyEncryption); the public key is in clear (X.509 SubjectPublicKeyInfo, base64).
CREATE TABLE signing_key (
    kid                   VARCHAR(64)  PRIMARY KEY,
    state                 VARCHAR(16)  NOT NULL CHECK (state IN ('NEXT', 'ACTIVE', 'RETIRING', 'RETIRED')),
    created_at            TIMESTAMPTZ  NOT NULL,
    activated_at          TIMESTAMPTZ,
    deactivated_at        TIMESTAMPTZ,
    retired_at            TIMESTAMPTZ,
    public_key            TEXT         NOT NULL,
    encrypted_private_key TEXT         NOT NULL,
    updated_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CHECK (state = 'NEXT' OR activated_at IS NOT NULL),
    CHECK (state NOT IN ('RETIRING', 'RETIRED') OR deactivated_at IS NOT NULL),
    CHECK (state <> 'RETIRED' OR retired_at IS NOT NULL)
);

-- At most one key signs and at most one waits, whatever the nodes do (the advisory lock serialises them; these
-- indexes make a mistake fail instead of publishing two signing keys).
CREATE UNIQUE INDEX signing_key_one_active ON signing_key ((TRUE)) WHERE state = 'ACTIVE';
CREATE UNIQUE INDEX signing_key_one_next ON signing_key ((TRUE)) WHERE state = 'NEXT';
