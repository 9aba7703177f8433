package dev.apim.query.audit;

import dev.apim.platform.web.ApiException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The validated filters of an audit query; null fields do not filter. {@code eventType} is an event's simple
 * class name ({@code ApiUpdated}) or its full name; {@code from} is inclusive, {@code to} exclusive, both
 * already in the event store's timestamp text form; {@code after} is an exclusive global-index cursor.
 */
public record AuditFilter(String aggregateId, String aggregateType, String eventType, String principal,
                          String from, String to, Long after) {

    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    private static final int MAX_TEXT = 255;
    private static final Pattern JAVA_NAME = Pattern.compile("^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*$");
    private static final Pattern AGGREGATE_TYPE = Pattern.compile("^[A-Za-z_$][A-Za-z0-9_$]*$");
    /** How Axon writes {@code time_stamp}: UTC, always three fraction digits, so text order is time order. */
    private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Every filter of the global feed, from raw query parameters; anything malformed is a 400. */
    public static AuditFilter parse(String aggregateId, String aggregateType, String eventType, String principal,
                                    String from, String to, String after) {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw ApiException.badRequest("'from' must be before 'to'");
        }
        String type = text("eventType", eventType);
        if (type != null && !JAVA_NAME.matcher(type).matches()) {
            throw ApiException.badRequest("'eventType' must be an event class name, simple (ApiUpdated) or full");
        }
        String aggType = text("aggregateType", aggregateType);
        if (aggType != null && !AGGREGATE_TYPE.matcher(aggType).matches()) {
            throw ApiException.badRequest("'aggregateType' must be an aggregate name such as Api or Application");
        }
        return new AuditFilter(text("aggregateId", aggregateId), aggType, type, text("principal", principal),
                fromInstant == null ? null : stored(fromInstant), toInstant == null ? null : stored(toInstant),
                cursor(after));
    }

    /** One aggregate's history, optionally after a cursor. */
    public static AuditFilter aggregate(String aggregateType, String aggregateId, String after) {
        return new AuditFilter(text("id", aggregateId), aggregateType, null, null, null, null, cursor(after));
    }

    public static int limit(String value) {
        return dev.apim.platform.web.QueryParams.intParam("limit", value, DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    /** The same filters from a later cursor. */
    public AuditFilter after(long cursor) {
        return new AuditFilter(aggregateId, aggregateType, eventType, principal, from, to, cursor);
    }

    /** The simple class name of {@link #eventType} (the indexed part). */
    public String eventTypeSimpleName() {
        return eventType == null ? null : eventType.substring(eventType.lastIndexOf('.') + 1);
    }

    public boolean eventTypeIsFullName() {
        return eventType != null && eventType.indexOf('.') >= 0;
    }

    private static Long cursor(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw ApiException.badRequest("'after' must be a global index (0 or more)");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'after' must be a global index (a whole number)");
        }
    }

    private static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("'" + name + "' must be 1 to " + MAX_TEXT
                    + " characters without control characters");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant parsed = Instant.parse(value.trim());
            if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
                throw ApiException.badRequest("'" + name + "' must be between years 0000 and 9999");
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    /**
     * The stored text form, rounded UP to the millisecond: events carry milliseconds, so with a sub-millisecond
     * bound {@code >= from} and {@code < to} keep exactly the events whose instant is within [from, to).
     */
    private static String stored(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        if (millis.isBefore(instant)) {
            millis = millis.plusMillis(1);
        }
        return STORED.format(millis);
    }
}
