package dev.apim.platform.web;

/** Validation of query parameters shared by every list endpoint (limit, offset, ...). */
public final class QueryParams {

    private QueryParams() {}

    /** A whole number within [min, max], the default when absent; anything else is a 400. */
    public static int intParam(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw ApiException.badRequest("'" + name + "' must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a whole number");
        }
    }
}
