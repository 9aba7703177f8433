-- The audit feed (GET /api/am/admin/v4/audit/events) reads the event store in global order, always for ONE
-- tenant and optionally narrowed by event type, aggregate type, principal or time. Each index leads with the
-- tenant, then the filtered value, and ends with the global index, so a page is one ordered index range scan
-- starting at the cursor. Metadata is JSON text: these expressions must match AuditLog's SQL exactly.
CREATE INDEX domain_event_entry_audit_tenant
    ON domain_event_entry ((meta_data::jsonb ->> 'tenant'), global_index);
CREATE INDEX domain_event_entry_audit_principal
    ON domain_event_entry ((meta_data::jsonb ->> 'tenant'), (meta_data::jsonb ->> 'principal'), global_index);
-- The event type is filtered by its simple class name (an exact name adds payload_type = ... on top).
CREATE INDEX domain_event_entry_audit_event_type
    ON domain_event_entry ((meta_data::jsonb ->> 'tenant'), (substring(payload_type from '[^.]*$')), global_index);
CREATE INDEX domain_event_entry_audit_aggregate_type
    ON domain_event_entry ((meta_data::jsonb ->> 'tenant'), type, global_index);
-- Axon writes the timestamp as fixed-width ISO-8601 UTC with milliseconds, so text order is time order.
-- (Filtering by aggregate id uses the (aggregate_identifier, sequence_number) key of V1.)
CREATE INDEX domain_event_entry_audit_time
    ON domain_event_entry (time_stamp);
