package dev.apim.platform.security;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.regex.Pattern;

/** The password rule for users: 8 to 64 characters with at least one letter and one digit. */
public final class PasswordPolicy {

    private static final Pattern PASSWORD = Pattern.compile("^(?=.*\\p{L})(?=.*\\p{Nd}).{8,64}$");

    private PasswordPolicy() {}

    public static void check(String password) {
        if (password == null || !PASSWORD.matcher(password).matches()) {
            throw DomainException.of(DomainError.PASSWORD_PATTERN_INVALID,
                    "A password is 8 to 64 characters with at least one letter and one digit");
        }
    }
}
