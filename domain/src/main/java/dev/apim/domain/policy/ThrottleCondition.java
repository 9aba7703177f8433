package dev.apim.domain.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.IpAddresses;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * WSO2's {@code ThrottleCondition}: one request attribute an advanced policy's conditional group matches
 * (a header, the client IP or range, a query parameter or a JWT claim), optionally inverted. Only the part
 * named by {@code type} is kept.
 */
public record ThrottleCondition(String type, boolean invertCondition, HeaderCondition headerCondition,
                                IpCondition ipCondition, QueryParameterCondition queryParameterCondition,
                                JwtClaimsCondition jwtClaimsCondition) {

    public static final String HEADER = "HEADERCONDITION";
    public static final String IP = "IPCONDITION";
    public static final String QUERY_PARAMETER = "QUERYPARAMETERCONDITION";
    public static final String JWT_CLAIMS = "JWTCLAIMSCONDITION";
    public static final Set<String> TYPES = Set.of(HEADER, IP, QUERY_PARAMETER, JWT_CLAIMS);
    public static final String IP_SPECIFIC = "IPSPECIFIC";
    public static final String IP_RANGE = "IPRANGE";
    public static final int MAX_NAME = 255;
    public static final int MAX_VALUE = 1024;

    /** RFC 7230 token characters: what a header name may hold. */
    private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

    public record HeaderCondition(String headerName, String headerValue) {}

    public record IpCondition(String ipConditionType, String specificIP, String startingIP, String endingIP) {}

    public record QueryParameterCondition(String parameterName, String parameterValue) {}

    public record JwtClaimsCondition(String claimUrl, String attribute) {}

    /** Returns the condition reduced to its type's part, or throws the first rule it breaks. */
    public static ThrottleCondition validated(ThrottleCondition c, String field) {
        if (c == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' must not be null", field);
        }
        if (c.type() == null || c.type().isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s.type' is required (one of %s)", field, sorted());
        }
        switch (c.type()) {
            case HEADER -> {
                HeaderCondition h = require(c.headerCondition(), field + ".headerCondition");
                text(h.headerName(), field + ".headerCondition.headerName", MAX_NAME);
                if (!HEADER_NAME.matcher(h.headerName()).matches()) {
                    throw DomainException.of(DomainError.INVALID_INPUT,
                            "'%s.headerCondition.headerName' is not a valid HTTP header name", field);
                }
                text(h.headerValue(), field + ".headerCondition.headerValue", MAX_VALUE);
                return new ThrottleCondition(HEADER, c.invertCondition(), h, null, null, null);
            }
            case IP -> {
                return new ThrottleCondition(IP, c.invertCondition(), null,
                        ip(require(c.ipCondition(), field + ".ipCondition"), field + ".ipCondition"), null, null);
            }
            case QUERY_PARAMETER -> {
                QueryParameterCondition q = require(c.queryParameterCondition(), field + ".queryParameterCondition");
                text(q.parameterName(), field + ".queryParameterCondition.parameterName", MAX_NAME);
                text(q.parameterValue(), field + ".queryParameterCondition.parameterValue", MAX_VALUE);
                return new ThrottleCondition(QUERY_PARAMETER, c.invertCondition(), null, null, q, null);
            }
            case JWT_CLAIMS -> {
                JwtClaimsCondition j = require(c.jwtClaimsCondition(), field + ".jwtClaimsCondition");
                text(j.claimUrl(), field + ".jwtClaimsCondition.claimUrl", MAX_VALUE);
                text(j.attribute(), field + ".jwtClaimsCondition.attribute", MAX_VALUE);
                try {
                    Pattern.compile(j.attribute());
                } catch (PatternSyntaxException e) {
                    throw DomainException.of(DomainError.INVALID_INPUT,
                            "'%s.jwtClaimsCondition.attribute' is not a valid regular expression", field);
                }
                return new ThrottleCondition(JWT_CLAIMS, c.invertCondition(), null, null, null, j);
            }
            default -> throw DomainException.of(DomainError.UNSUPPORTED_THROTTLE_CONDITION_TYPE,
                    "Throttle condition type '%s' is not supported; use one of %s",
                    ThrottlePolicyDefinition.shown(c.type()), sorted());
        }
    }

    private static IpCondition ip(IpCondition ip, String field) {
        if (IP_SPECIFIC.equals(ip.ipConditionType())) {
            address(ip.specificIP(), field + ".specificIP");
            return new IpCondition(IP_SPECIFIC, ip.specificIP(), null, null);
        }
        if (IP_RANGE.equals(ip.ipConditionType())) {
            byte[] start = address(ip.startingIP(), field + ".startingIP");
            byte[] end = address(ip.endingIP(), field + ".endingIP");
            if (start.length != end.length) {
                throw DomainException.of(DomainError.INVALID_INPUT,
                        "'%s': startingIP and endingIP must be of the same address family", field);
            }
            if (IpAddresses.compare(start, end) > 0) {
                throw DomainException.of(DomainError.INVALID_INPUT,
                        "'%s': startingIP must not be greater than endingIP", field);
            }
            return new IpCondition(IP_RANGE, null, ip.startingIP(), ip.endingIP());
        }
        throw DomainException.of(DomainError.INVALID_INPUT, "'%s.ipConditionType' must be %s or %s", field,
                IP_SPECIFIC, IP_RANGE);
    }

    private static byte[] address(String text, String field) {
        if (text == null || text.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
        return IpAddresses.parse(text).orElseThrow(() -> DomainException.of(DomainError.INVALID_INPUT,
                "'%s' is not an IPv4 or IPv6 address", field));
    }

    private static <T> T require(T part, String field) {
        if (part == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required for this condition type", field);
        }
        return part;
    }

    private static void text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
        if (value.length() > max) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' must be at most %d characters", field, max);
        }
    }

    private static String sorted() {
        return Arrays.toString(TYPES.stream().sorted().toArray());
    }
}
