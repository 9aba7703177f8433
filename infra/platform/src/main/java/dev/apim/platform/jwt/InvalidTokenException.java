package dev.apim.platform.jwt;

import java.util.Objects;

/** A token was rejected. The gateway and management security map every reason to WSO2's 900901. */
public class InvalidTokenException extends RuntimeException {

    public enum Reason {
        MALFORMED,
        UNSUPPORTED_ALGORITHM,
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        EXPIRED,
        NOT_YET_VALID,
        WRONG_ISSUER,
        WRONG_AUDIENCE,
        REVOKED
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        this(reason, message, null);
    }

    public InvalidTokenException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
