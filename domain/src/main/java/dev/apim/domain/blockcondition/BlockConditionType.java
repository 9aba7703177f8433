package dev.apim.domain.blockcondition;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.Arrays;
import java.util.Locale;

/** What a deny policy matches on, with WSO2's names. */
public enum BlockConditionType {
    API, APPLICATION, IP, IPRANGE, USER;

    /** Parses WSO2's name (case-insensitive); anything else is refused as an unsupported condition type. */
    public static BlockConditionType parse(String name) {
        if (name != null) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            for (BlockConditionType type : values()) {
                if (type.name().equals(upper)) {
                    return type;
                }
            }
        }
        throw DomainException.of(DomainError.UNSUPPORTED_THROTTLE_CONDITION_TYPE,
                "Unsupported condition type '%s'; use one of %s", name, Arrays.toString(values()));
    }
}
