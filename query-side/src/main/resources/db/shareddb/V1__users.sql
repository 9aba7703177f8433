-- Users and roles (WSO2's UM tables, reduced): a read model of User events; passwords only as slow hashes.
CREATE TABLE um_user (
    tenant        VARCHAR(255) NOT NULL,
    username      VARCHAR(255) NOT NULL,
    password_hash VARCHAR(512) NOT NULL,
    roles         TEXT[]       NOT NULL DEFAULT '{}',
    locked        BOOLEAN      NOT NULL DEFAULT FALSE,
    created_time  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant, username)
);
