package dev.apim.query.audit;

import java.util.List;

/**
 * A page of the audit feed, shaped like WSO2's lists ({@code count}, {@code list}, {@code pagination}) but paged
 * by cursor: {@code next} is the {@code after} of the following page, null on the last page.
 */
public record AuditListDto(int count, List<AuditEventDto> list, Pagination pagination) {

    public record Pagination(int limit, Long after, Long next) {}
}
