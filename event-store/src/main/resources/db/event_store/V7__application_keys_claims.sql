-- Set-based rule: at most one live key mapping per application and key type. Each generation is a new aggregate
-- (id keys:<keyMappingId>); the command side writes the claim in the same transaction as ApplicationKeysGenerated
-- and deletes it with ApplicationKeysRemoved, so an application may generate keys of a type again after removing
-- the previous ones. A revoked mapping (its application was deleted) keeps its claim until it is removed.
CREATE TABLE application_keys_claim (
    tenant         VARCHAR(255) NOT NULL,
    application_id VARCHAR(64)  NOT NULL,
    key_type       VARCHAR(16)  NOT NULL,
    keys_id        VARCHAR(255) NOT NULL,
    PRIMARY KEY (tenant, application_id, key_type)
);
CREATE UNIQUE INDEX application_keys_claim_id ON application_keys_claim (keys_id);

-- Mappings generated before this table existed (id keys:<applicationId>:<TYPE>) claim their pair unless they were
-- removed. From the event store only: this schema never reads a read model.
INSERT INTO application_keys_claim (tenant, application_id, key_type, keys_id)
SELECT g.payload::jsonb ->> 'tenant', g.payload::jsonb ->> 'applicationId', g.payload::jsonb ->> 'keyType',
       g.aggregate_identifier
FROM domain_event_entry g
WHERE g.payload_type = 'dev.apim.domain.keys.event.ApplicationKeysGenerated'
  AND NOT EXISTS (SELECT 1 FROM domain_event_entry r
                  WHERE r.aggregate_identifier = g.aggregate_identifier
                    AND r.payload_type = 'dev.apim.domain.keys.event.ApplicationKeysRemoved')
ON CONFLICT DO NOTHING;
