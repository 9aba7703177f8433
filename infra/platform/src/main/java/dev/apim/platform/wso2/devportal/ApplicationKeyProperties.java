package dev.apim.platform.wso2.devportal;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.keys.TokenLifetimes;

import java.util.LinkedHashMap;
import java.util.Map;

/** WSO2's {@code additionalProperties} of a key mapping: the four token lifetimes, as strings of seconds. */
public final class ApplicationKeyProperties {

    private ApplicationKeyProperties() {}

    /**
     * The lifetimes requested in {@code additionalProperties} (numbers or numeric strings; a missing or blank one
     * is WSO2's default), with {@code validityTime} as the application access token lifetime when the properties
     * do not name it. The domain checks the ranges.
     */
    public static TokenLifetimes lifetimes(Map<String, Object> properties, Long validityTime) {
        Map<String, Object> p = properties == null ? Map.of() : properties;
        Long application = seconds(p, ApplicationKeyDto.APPLICATION_ACCESS_TOKEN_EXPIRY);
        return new TokenLifetimes(application != null ? application : validityTime,
                seconds(p, ApplicationKeyDto.USER_ACCESS_TOKEN_EXPIRY),
                seconds(p, ApplicationKeyDto.REFRESH_TOKEN_EXPIRY),
                seconds(p, ApplicationKeyDto.ID_TOKEN_EXPIRY));
    }

    /** The lifetimes as WSO2 shows them. */
    public static Map<String, Object> of(TokenLifetimes lifetimes) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(ApplicationKeyDto.APPLICATION_ACCESS_TOKEN_EXPIRY, String.valueOf(lifetimes.applicationAccessTokenSeconds()));
        map.put(ApplicationKeyDto.USER_ACCESS_TOKEN_EXPIRY, String.valueOf(lifetimes.userAccessTokenSeconds()));
        map.put(ApplicationKeyDto.REFRESH_TOKEN_EXPIRY, String.valueOf(lifetimes.refreshTokenSeconds()));
        map.put(ApplicationKeyDto.ID_TOKEN_EXPIRY, String.valueOf(lifetimes.idTokenSeconds()));
        return map;
    }

    private static Long seconds(Map<String, Object> properties, String name) {
        Object value = properties.get(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw DomainException.of(DomainError.INVALID_APPLICATION_PROPERTIES,
                    "'%s' must be a whole number of seconds", name);
        }
    }
}
