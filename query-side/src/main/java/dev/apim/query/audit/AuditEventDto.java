package dev.apim.query.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One event of the audit feed: its place in the log, its aggregate, its type, when it happened, who caused it
 * and from where ({@code AuditMetadata}), and its payload as stored (JSON, embedded as is).
 */
public record AuditEventDto(long globalIndex, String eventId, String aggregateId, String aggregateType,
                            long sequenceNumber, String eventType, String timestamp, String tenant,
                            String principal, String clientIp, String correlationId, String causationId,
                            @JsonRawValue String payload) {}
