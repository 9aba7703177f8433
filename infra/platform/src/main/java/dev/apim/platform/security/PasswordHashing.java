package dev.apim.platform.security;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Slow password hashing (Argon2id, Spring Security's current defaults). Clear passwords are never stored. */
public final class PasswordHashing {

    private static final Argon2PasswordEncoder ENCODER = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

    private PasswordHashing() {}

    public static String hash(CharSequence password) {
        return ENCODER.encode(password);
    }

    public static boolean matches(CharSequence password, String hash) {
        return hash != null && ENCODER.matches(password, hash);
    }
}
