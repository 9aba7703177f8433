package dev.apim.command.keys;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes OAuth2 client credentials: a 32-character consumer key and a 256-bit consumer secret. */
public final class ConsumerCredentials {

    private static final char[] KEY_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();
    private static final int CONSUMER_KEY_LENGTH = 32;
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsumerCredentials() {}

    public static String consumerKey() {
        char[] key = new char[CONSUMER_KEY_LENGTH];
        for (int i = 0; i < key.length; i++) {
            key[i] = KEY_ALPHABET[RANDOM.nextInt(KEY_ALPHABET.length)];
        }
        return new String(key);
    }

    public static String consumerSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
