package dev.apim.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Fast digests for cache keys and token lookups (never for passwords: those use {@link PasswordHashing}). */
public final class Digests {

    private Digests() {}

    /** The SHA-256 of the UTF-8 bytes of {@code value}, as 64 lower-case hex digits. */
    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
