package dev.apim.domain.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

/**
 * How long the tokens issued for a key mapping live, in seconds (WSO2's application access token, user access
 * token, refresh token and ID token expiry times). A {@code null} value means WSO2's default:
 * 3600 / 3600 / 86400 / 3600. Each value must be between 1 and 31536000 (one year). WSO2's negative values
 * (such as -1, "never expires") are refused: every token issued here expires.
 */
public record TokenLifetimes(Long applicationAccessTokenSeconds, Long userAccessTokenSeconds,
                             Long refreshTokenSeconds, Long idTokenSeconds) {

    public static final long DEFAULT_APPLICATION_ACCESS_TOKEN_SECONDS = 3600;
    public static final long DEFAULT_USER_ACCESS_TOKEN_SECONDS = 3600;
    public static final long DEFAULT_REFRESH_TOKEN_SECONDS = 86400;
    public static final long DEFAULT_ID_TOKEN_SECONDS = 3600;
    public static final long MAX_SECONDS = 31_536_000;

    /** WSO2's defaults for every lifetime. */
    public static TokenLifetimes defaults() {
        return new TokenLifetimes(DEFAULT_APPLICATION_ACCESS_TOKEN_SECONDS, DEFAULT_USER_ACCESS_TOKEN_SECONDS,
                DEFAULT_REFRESH_TOKEN_SECONDS, DEFAULT_ID_TOKEN_SECONDS);
    }

    /**
     * The requested lifetimes with WSO2's default in place of every missing value (all defaults when
     * {@code requested} is null), each checked to lie in 1..31536000 seconds.
     */
    public static TokenLifetimes resolve(TokenLifetimes requested) {
        TokenLifetimes r = requested == null ? new TokenLifetimes(null, null, null, null) : requested;
        return new TokenLifetimes(
                checked("applicationAccessTokenSeconds", r.applicationAccessTokenSeconds,
                        DEFAULT_APPLICATION_ACCESS_TOKEN_SECONDS),
                checked("userAccessTokenSeconds", r.userAccessTokenSeconds, DEFAULT_USER_ACCESS_TOKEN_SECONDS),
                checked("refreshTokenSeconds", r.refreshTokenSeconds, DEFAULT_REFRESH_TOKEN_SECONDS),
                checked("idTokenSeconds", r.idTokenSeconds, DEFAULT_ID_TOKEN_SECONDS));
    }

    private static long checked(String field, Long value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 0) {
            throw DomainException.of(DomainError.INVALID_APPLICATION_PROPERTIES,
                    "'%s' is %d; a negative lifetime (WSO2's -1, never expires) is not supported: "
                            + "give a lifetime between 1 and %d seconds", field, value, MAX_SECONDS);
        }
        if (value < 1 || value > MAX_SECONDS) {
            throw DomainException.of(DomainError.INVALID_APPLICATION_PROPERTIES,
                    "'%s' is %d; it must be between 1 and %d seconds", field, value, MAX_SECONDS);
        }
        return value;
    }
}
