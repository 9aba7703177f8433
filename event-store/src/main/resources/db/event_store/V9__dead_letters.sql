-- Dead letters of the projections' processors (Axon's JdbcSequencedDeadLetterQueue): an event whose handler
-- failed, and every later event of the same sequence (aggregate) while it is parked. Serialized columns are
-- JSON bytes from the events' serializer; enqueued_at/last_touched/processing_started are ISO-8601 strings
-- as Axon writes them.
CREATE TABLE event_store.dead_letter_entry (
    dead_letter_id      VARCHAR(255) NOT NULL PRIMARY KEY,
    processing_group    VARCHAR(255) NOT NULL,
    sequence_identifier VARCHAR(255) NOT NULL,
    sequence_index      BIGINT       NOT NULL,
    message_type        VARCHAR(255) NOT NULL,
    event_identifier    VARCHAR(255) NOT NULL,
    time_stamp          VARCHAR(255) NOT NULL,
    payload_type        VARCHAR(255) NOT NULL,
    payload_revision    VARCHAR(255),
    payload             BYTEA        NOT NULL,
    meta_data           BYTEA,
    aggregate_type      VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number     BIGINT,
    token_type          VARCHAR(255),
    token               BYTEA,
    enqueued_at         VARCHAR(255) NOT NULL,
    last_touched        VARCHAR(255),
    processing_started  VARCHAR(255),
    cause_type          VARCHAR(255),
    cause_message       TEXT,
    diagnostics         BYTEA,
    CONSTRAINT dead_letter_sequence_unique UNIQUE (processing_group, sequence_identifier, sequence_index)
);

CREATE INDEX dead_letter_processing_group_idx ON event_store.dead_letter_entry (processing_group);
CREATE INDEX dead_letter_sequence_idx ON event_store.dead_letter_entry (processing_group, sequence_identifier);
