package dev.apim.platform.wso2.admin;

import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Between WSO2's {@code BlockingCondition} JSON and the domain's condition value, both ways. */
public final class DenyPolicyMapper {

    private static final Set<String> IP_FIELDS = Set.of("fixedIp", "invert");
    private static final Set<String> RANGE_FIELDS = Set.of("startingIp", "endingIp", "invert");

    private DenyPolicyMapper() {}

    /** Reads the request's {@code conditionValue} for its type; a wrong shape is a 400 with WSO2's code. */
    public static BlockConditionValue toValue(BlockConditionType type, Object conditionValue) {
        if (conditionValue == null) {
            throw invalid("'conditionValue' is required");
        }
        return switch (type) {
            case API, APPLICATION, USER -> {
                if (!(conditionValue instanceof String text)) {
                    throw invalid("The conditionValue of a " + type + " condition is a string");
                }
                yield BlockConditionValue.of(text);
            }
            case IP -> {
                Map<?, ?> fields = object(type, conditionValue, IP_FIELDS);
                yield BlockConditionValue.ip(string(fields, "fixedIp"), bool(fields));
            }
            case IPRANGE -> {
                Map<?, ?> fields = object(type, conditionValue, RANGE_FIELDS);
                yield BlockConditionValue.ipRange(string(fields, "startingIp"), string(fields, "endingIp"), bool(fields));
            }
        };
    }

    /** The condition as WSO2 renders it. */
    public static BlockingConditionDto toDto(String conditionId, BlockConditionType type, BlockConditionValue value,
                                             boolean enabled) {
        return new BlockingConditionDto(conditionId, type.name(), renderValue(type, value), enabled);
    }

    private static Object renderValue(BlockConditionType type, BlockConditionValue value) {
        return switch (type) {
            case API, APPLICATION, USER -> value.value();
            case IP -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("fixedIp", value.fixedIp());
                fields.put("invert", value.invert());
                yield fields;
            }
            case IPRANGE -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("startingIp", value.startingIp());
                fields.put("endingIp", value.endingIp());
                fields.put("invert", value.invert());
                yield fields;
            }
        };
    }

    private static Map<?, ?> object(BlockConditionType type, Object value, Set<String> allowed) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw invalid("The conditionValue of an " + type + " condition is an object with " + allowed);
        }
        for (Object key : fields.keySet()) {
            if (!allowed.contains(key)) {
                throw invalid("Unknown field '" + key + "' in the conditionValue of an " + type + " condition; "
                        + "allowed: " + allowed);
            }
        }
        return fields;
    }

    private static String string(Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value != null && !(value instanceof String)) {
            throw invalid("'" + name + "' must be a string");
        }
        return (String) value;
    }

    private static boolean bool(Map<?, ?> fields) {
        Object value = fields.get("invert");
        if (value != null && !(value instanceof Boolean)) {
            throw invalid("'invert' must be true or false");
        }
        return Boolean.TRUE.equals(value);
    }

    private static DomainException invalid(String description) {
        return new DomainException(DomainError.BLOCK_CONDITION_INVALID, description);
    }
}
