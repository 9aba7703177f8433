package dev.apim.query.audit;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.admin.AdminAccess;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Admin v4 audit trail: the event store's global, ordered feed with who/when/where metadata, filtered and paged
 * by cursor, exportable as JSON lines; and one API's, application's or subscription's history. Administrators
 * only, and only the events of their own tenant.
 */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/audit")
public class AuditQueryController {

    static final String JSON_LINES = "jsonl";

    private final AuditLog audit;

    public AuditQueryController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/events")
    public ResponseEntity<?> events(@RequestParam(required = false) String aggregateId,
                                    @RequestParam(required = false) String aggregateType,
                                    @RequestParam(required = false) String eventType,
                                    @RequestParam(required = false) String principal,
                                    @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to,
                                    @RequestParam(required = false) String after,
                                    @RequestParam(required = false) String limit,
                                    @RequestParam(required = false) String format,
                                    @RequestHeader(value = "Accept", required = false) String accept,
                                    Caller caller) {
        AdminAccess.require(caller);
        AuditFilter filter = AuditFilter.parse(aggregateId, aggregateType, eventType, principal, from, to, after);
        if (exportRequested(format, accept)) {
            if (limit != null) {
                throw ApiException.badRequest("'limit' does not apply to a JSON lines export (it returns every match)");
            }
            Flux<AuditEventDto> lines = audit.export(caller.tenant(), filter);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON).body(lines);
        }
        Mono<AuditListDto> page = audit.page(caller.tenant(), filter, AuditFilter.limit(limit));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
    }

    @GetMapping("/apis/{apiId}")
    public Mono<AuditListDto> api(@PathVariable String apiId, @RequestParam(required = false) String after,
                                  @RequestParam(required = false) String limit, Caller caller) {
        return history("Api", DomainError.API_NOT_FOUND, "API", apiId, after, limit, caller);
    }

    @GetMapping("/applications/{applicationId}")
    public Mono<AuditListDto> application(@PathVariable String applicationId,
                                          @RequestParam(required = false) String after,
                                          @RequestParam(required = false) String limit, Caller caller) {
        return history("Application", DomainError.APPLICATION_NOT_FOUND, "Application", applicationId, after, limit, caller);
    }

    @GetMapping("/subscriptions/{subscriptionId}")
    public Mono<AuditListDto> subscription(@PathVariable String subscriptionId,
                                           @RequestParam(required = false) String after,
                                           @RequestParam(required = false) String limit, Caller caller) {
        return history("Subscription", DomainError.SUBSCRIPTION_NOT_FOUND, "Subscription", subscriptionId, after, limit, caller);
    }

    /**
     * One aggregate's events (its id is the resource's id). 404 when the tenant has no event of it at all, so
     * another tenant's resource looks as if it did not exist; a cursor past its last event is an empty page.
     */
    private Mono<AuditListDto> history(String aggregateType, DomainError error, String label, String id, String after, String limit,
                                       Caller caller) {
        AdminAccess.require(caller);
        int lim = AuditFilter.limit(limit);
        AuditFilter filter = AuditFilter.aggregate(aggregateType, id, after);
        String shown = id.length() > 64 ? id.substring(0, 64) : id;
        return audit.page(caller.tenant(), filter, lim).flatMap(page -> {
            if (!page.list().isEmpty() || filter.after() == null) {
                return page.list().isEmpty() ? Mono.error(notFound(error, label, shown)) : Mono.just(page);
            }
            return audit.events(caller.tenant(), AuditFilter.aggregate(aggregateType, id, null), 1).hasElements()
                    .flatMap(exists -> exists ? Mono.just(page) : Mono.error(notFound(error, label, shown)));
        });
    }

    private static DomainException notFound(DomainError error, String label, String id) {
        return DomainException.of(error, "%s %s not found", label, id);
    }

    /** JSON lines when asked with {@code ?format=jsonl} or {@code Accept: application/x-ndjson}. */
    private static boolean exportRequested(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.trim()) {
                case JSON_LINES -> true;
                case "json" -> false;
                default -> throw ApiException.badRequest("'format' must be json or jsonl");
            };
        }
        if (accept == null) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            throw ApiException.badRequest("Malformed 'Accept' header");
        }
        for (MediaType type : types) {
            if (type.isCompatibleWith(MediaType.APPLICATION_NDJSON) && !type.isWildcardType()
                    && !type.isWildcardSubtype()) {
                return true;
            }
        }
        return false;
    }
}
