package dev.apim.domain.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.Set;

/**
 * WSO2's {@code ThrottleLimit}: a request count or a bandwidth quota over a window of {@code unitTime}
 * {@code timeUnit}s. Only the part named by {@code type} is kept.
 */
public record ThrottleLimit(String type, RequestCount requestCount, Bandwidth bandwidth) {

    public static final String REQUEST_COUNT = "REQUESTCOUNTLIMIT";
    public static final String BANDWIDTH = "BANDWIDTHLIMIT";
    public static final Set<String> TIME_UNITS = Set.of("sec", "min", "hour", "day");
    public static final Set<String> DATA_UNITS = Set.of("KB", "MB", "GB");
    /** A window longer than a year of the largest unit is surely a mistake. */
    public static final int MAX_UNIT_TIME = 1_000_000;

    /** {@code requestCount} requests per {@code unitTime} {@code timeUnit}. */
    public record RequestCount(String timeUnit, int unitTime, long requestCount) {}

    /** {@code dataAmount} {@code dataUnit} per {@code unitTime} {@code timeUnit}. */
    public record Bandwidth(String timeUnit, int unitTime, long dataAmount, String dataUnit) {}

    public static ThrottleLimit requests(long count, int unitTime, String timeUnit) {
        return new ThrottleLimit(REQUEST_COUNT, new RequestCount(timeUnit, unitTime, count), null);
    }

    public static ThrottleLimit bandwidth(long amount, String dataUnit, int unitTime, String timeUnit) {
        return new ThrottleLimit(BANDWIDTH, null, new Bandwidth(timeUnit, unitTime, amount, dataUnit));
    }

    /** Returns this limit reduced to its type's part, or throws the first rule it breaks; {@code field} names it. */
    public static ThrottleLimit validated(ThrottleLimit limit, String field) {
        if (limit == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
        if (limit.type() == null || limit.type().isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s.type' is required (%s or %s)", field,
                    REQUEST_COUNT, BANDWIDTH);
        }
        if (REQUEST_COUNT.equals(limit.type())) {
            RequestCount r = limit.requestCount();
            if (r == null) {
                throw DomainException.of(DomainError.INVALID_INPUT, "'%s.requestCount' is required for type %s",
                        field, REQUEST_COUNT);
            }
            window(r.timeUnit(), r.unitTime(), field + ".requestCount");
            if (r.requestCount() <= 0) {
                throw DomainException.of(DomainError.INVALID_INPUT, "'%s.requestCount.requestCount' must be positive",
                        field);
            }
            return new ThrottleLimit(REQUEST_COUNT, r, null);
        }
        if (BANDWIDTH.equals(limit.type())) {
            Bandwidth b = limit.bandwidth();
            if (b == null) {
                throw DomainException.of(DomainError.INVALID_INPUT, "'%s.bandwidth' is required for type %s",
                        field, BANDWIDTH);
            }
            window(b.timeUnit(), b.unitTime(), field + ".bandwidth");
            if (b.dataAmount() <= 0) {
                throw DomainException.of(DomainError.INVALID_INPUT, "'%s.bandwidth.dataAmount' must be positive", field);
            }
            if (b.dataUnit() == null || !DATA_UNITS.contains(b.dataUnit())) {
                throw DomainException.of(DomainError.INVALID_INPUT, "'%s.bandwidth.dataUnit' must be one of %s",
                        field, DATA_UNITS);
            }
            return new ThrottleLimit(BANDWIDTH, null, b);
        }
        throw DomainException.of(DomainError.UNSUPPORTED_THROTTLE_LIMIT_TYPE,
                "Throttle limit type '%s' is not supported; use %s or %s", ThrottlePolicyDefinition.shown(limit.type()),
                REQUEST_COUNT, BANDWIDTH);
    }

    private static void window(String timeUnit, int unitTime, String field) {
        if (timeUnit == null || !TIME_UNITS.contains(timeUnit)) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s.timeUnit' must be one of %s", field,
                    TIME_UNITS.stream().sorted().toList());
        }
        if (unitTime <= 0 || unitTime > MAX_UNIT_TIME) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s.unitTime' must be between 1 and %d", field,
                    MAX_UNIT_TIME);
        }
    }
}
