package dev.apim.command.oauth;

import org.springframework.http.HttpStatus;

import java.util.Objects;

/**
 * An error of the OAuth2 endpoints, answered in RFC 6749 §5.2's shape ({@code error}, {@code error_description})
 * rather than WSO2's management error body.
 */
public class OAuth2Exception extends RuntimeException {

    private final String error;
    private final HttpStatus status;
    private final String wwwAuthenticate;
    private final Long retryAfterSeconds;

    OAuth2Exception(HttpStatus status, String error, String description, String wwwAuthenticate,
                    Long retryAfterSeconds) {
        super(description);
        this.status = Objects.requireNonNull(status);
        this.error = Objects.requireNonNull(error);
        this.wwwAuthenticate = wwwAuthenticate;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static OAuth2Exception invalidRequest(String description) {
        return new OAuth2Exception(HttpStatus.BAD_REQUEST, "invalid_request", description, null, null);
    }

    /** Client authentication failed; 401 with a Basic challenge as RFC 6749 §5.2 asks. */
    public static OAuth2Exception invalidClient(String description) {
        return new OAuth2Exception(HttpStatus.UNAUTHORIZED, "invalid_client", description,
                "Basic realm=\"oauth2\"", null);
    }

    public static OAuth2Exception invalidGrant(String description) {
        return new OAuth2Exception(HttpStatus.BAD_REQUEST, "invalid_grant", description, null, null);
    }

    public static OAuth2Exception unauthorizedClient(String description) {
        return new OAuth2Exception(HttpStatus.BAD_REQUEST, "unauthorized_client", description, null, null);
    }

    public static OAuth2Exception unsupportedGrantType(String description) {
        return new OAuth2Exception(HttpStatus.BAD_REQUEST, "unsupported_grant_type", description, null, null);
    }

    public static OAuth2Exception invalidScope(String description) {
        return new OAuth2Exception(HttpStatus.BAD_REQUEST, "invalid_scope", description, null, null);
    }

    /** Too many failed attempts: the credentials are not even checked until the lockout ends. */
    public static OAuth2Exception temporarilyLocked(String error, long retryAfterSeconds) {
        HttpStatus status = "invalid_client".equals(error) ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST;
        return new OAuth2Exception(status, error,
                "Too many failed attempts; try again in " + retryAfterSeconds + " seconds",
                status == HttpStatus.UNAUTHORIZED ? "Basic realm=\"oauth2\"" : null, retryAfterSeconds);
    }

    public static OAuth2Exception serverError(String description) {
        return new OAuth2Exception(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", description, null,
                null);
    }

    public String error() {
        return error;
    }

    public HttpStatus status() {
        return status;
    }

    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
