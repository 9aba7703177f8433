package dev.apim.query.audit;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Non-blocking, read-only reads of the event store ({@code event_store.domain_event_entry}) for the audit
 * trail. Every query is confined to one tenant (the {@code tenant} of the event's {@code AuditMetadata}; events
 * without one are never shown) and ordered by global index; each filter is served by an index of
 * {@code V8__audit_indexes.sql}, whose expressions the SQL here repeats verbatim.
 */
public class AuditLog {

    /** Rows per round trip when exporting: memory stays bounded by one page whatever the export's size. */
    static final int EXPORT_PAGE = 500;

    private static final String TENANT = "(meta_data::jsonb ->> 'tenant')";
    private static final String PRINCIPAL = "(meta_data::jsonb ->> 'principal')";
    private static final String SIMPLE_TYPE = "(substring(payload_type from '[^.]*$'))";
    private static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, type, "
            + "sequence_number, time_stamp, payload_type, payload, " + TENANT + " AS tenant, "
            + PRINCIPAL + " AS principal, (meta_data::jsonb ->> 'clientIp') AS client_ip, "
            + "(meta_data::jsonb ->> 'correlationId') AS correlation_id, "
            + "(meta_data::jsonb ->> 'causationId') AS causation_id";

    private final DatabaseClient db;

    public AuditLog(DatabaseClient db) {
        this.db = db;
    }

    /** Up to {@code limit} events of the tenant matching the filter, after its cursor, in global order. */
    public Flux<AuditEventDto> events(String tenant, AuditFilter filter, int limit) {
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("tenant", tenant);
        List<String> where = new ArrayList<>();
        where.add(TENANT + " = :tenant");
        if (filter.aggregateId() != null) {
            where.add("aggregate_identifier = :aggregateId");
            binds.put("aggregateId", filter.aggregateId());
        }
        if (filter.aggregateType() != null) {
            where.add("type = :aggregateType");
            binds.put("aggregateType", filter.aggregateType());
        }
        if (filter.eventType() != null) {
            where.add(SIMPLE_TYPE + " = :simpleType");
            binds.put("simpleType", filter.eventTypeSimpleName());
            if (filter.eventTypeIsFullName()) {
                where.add("payload_type = :eventType");
                binds.put("eventType", filter.eventType());
            }
        }
        if (filter.principal() != null) {
            where.add(PRINCIPAL + " = :principal");
            binds.put("principal", filter.principal());
        }
        if (filter.from() != null) {
            where.add("time_stamp >= :from");
            binds.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("time_stamp < :to");
            binds.put("to", filter.to());
        }
        if (filter.after() != null) {
            where.add("global_index > :after");
            binds.put("after", filter.after());
        }
        binds.put("limit", limit);
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT " + COLUMNS + " FROM event_store.domain_event_entry"
                + " WHERE " + String.join(" AND ", where) + " ORDER BY global_index LIMIT :limit");
        for (Map.Entry<String, Object> bind : binds.entrySet()) {
            spec = spec.bind(bind.getKey(), bind.getValue());
        }
        return spec.map(AuditLog::row).all();
    }

    /** One page plus whether more events follow it (read as one extra row). */
    public Mono<AuditListDto> page(String tenant, AuditFilter filter, int limit) {
        return events(tenant, filter, limit + 1).collectList().map(rows -> {
            boolean more = rows.size() > limit;
            List<AuditEventDto> list = more ? List.copyOf(rows.subList(0, limit)) : rows;
            Long next = more ? list.get(list.size() - 1).globalIndex() : null;
            return new AuditListDto(list.size(), list, new AuditListDto.Pagination(limit, filter.after(), next));
        });
    }

    /**
     * Every matching event, streamed: read page by page with the cursor, the next page only once the previous
     * one has been consumed, so an export of the whole log never sits in memory.
     */
    public Flux<AuditEventDto> export(String tenant, AuditFilter filter) {
        return events(tenant, filter, EXPORT_PAGE).collectList()
                .expand(rows -> rows.size() < EXPORT_PAGE ? Mono.empty()
                        : events(tenant, filter.after(rows.get(rows.size() - 1).globalIndex()), EXPORT_PAGE)
                                .collectList())
                .concatMapIterable(rows -> rows, 1);
    }

    private static AuditEventDto row(Readable r) {
        return new AuditEventDto(r.get("global_index", Long.class), r.get("event_identifier", String.class),
                r.get("aggregate_identifier", String.class), r.get("type", String.class),
                r.get("sequence_number", Long.class), r.get("payload_type", String.class),
                r.get("time_stamp", String.class), r.get("tenant", String.class), r.get("principal", String.class),
                r.get("client_ip", String.class), r.get("correlation_id", String.class),
                r.get("causation_id", String.class), r.get("payload", String.class));
    }
}
