package dev.apim.platform.wso2.admin;

import dev.apim.platform.security.AuthenticationFailure;
import dev.apim.platform.security.Caller;

/** The Admin API is for administrators: callers without the {@code admin} role get WSO2's 403. */
public final class AdminAccess {

    public static final String ADMIN_ROLE = "admin";

    private AdminAccess() {}

    public static void require(Caller caller) {
        if (caller == null || !caller.hasRole(ADMIN_ROLE)) {
            throw AuthenticationFailure.forbidden("The Admin API needs the 'admin' role");
        }
    }
}
