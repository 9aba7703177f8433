package dev.apim.platform.security;

import dev.apim.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** WSO2's 401 answers for the management plane. */
public final class AuthenticationFailure {

    private AuthenticationFailure() {}

    public static ApiException invalid() {
        return new ApiException(HttpStatus.UNAUTHORIZED, 900901, "Invalid Credentials",
                "Invalid Credentials. Make sure you have provided the correct security credentials");
    }

    /** A bearer token that is malformed, badly signed, expired, revoked, or whose user is gone or locked. */
    public static ApiException invalidToken() {
        return new ApiException(HttpStatus.UNAUTHORIZED, 900901, "Invalid Credentials",
                "Invalid Credentials. Make sure you have provided the correct security credentials");
    }

    public static ApiException missing() {
        return new ApiException(HttpStatus.UNAUTHORIZED, 900902, "Missing Credentials",
                "Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Basic' "
                        + "or 'Authorization : Bearer ***'");
    }

    public static ApiException forbidden(String description) {
        return new ApiException(HttpStatus.FORBIDDEN, 900908, "Resource forbidden", description);
    }

    /** WSO2's answer when the caller's scopes do not cover the operation (900910). */
    public static ApiException insufficientScope(String description) {
        return new ApiException(HttpStatus.FORBIDDEN, 900910,
                "The access token does not allow you to access the requested resource", description);
    }
}
