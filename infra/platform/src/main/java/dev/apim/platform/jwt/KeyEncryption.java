package dev.apim.platform.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts private key material (PKCS#8 bytes) for storage under a configured master secret.
 * <p>AES-256-GCM; the AES key is derived per message with PBKDF2WithHmacSHA256 over a random 16-byte salt.
 * The output is self-describing: {@code v1$<iterations>$<salt>$<iv>$<ciphertext+tag>} (base64, no padding).
 * The version, iterations, salt and the caller's associated data (e.g. the {@code kid}) are authenticated, so
 * any change, or a ciphertext moved to another key's row, fails with {@link KeyEncryptionException}.
 */
public final class KeyEncryption {

    public static final int MIN_SECRET_LENGTH = 16;
    public static final int ITERATIONS = 210_000;
    private static final String VERSION = "v1";
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_ITERATIONS = 10_000_000;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final char[] masterSecret;
    private final SecureRandom random = new SecureRandom();

    public KeyEncryption(String masterSecret) {
        Objects.requireNonNull(masterSecret, "masterSecret");
        if (masterSecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "the master secret must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        this.masterSecret = masterSecret.toCharArray();
    }

    public String encrypt(byte[] plaintext) {
        return encrypt(plaintext, "");
    }

    /** @param associatedData bound to the ciphertext; the same value must be given to decrypt */
    public String encrypt(byte[] plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        byte[] salt = new byte[SALT_BYTES];
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(salt);
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, deriveKey(salt, ITERATIONS), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(ITERATIONS, salt, associatedData));
            byte[] ct = cipher.doFinal(plaintext);
            return VERSION + "$" + ITERATIONS + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(iv)
                    + "$" + B64.encodeToString(ct);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] decrypt(String sealed) {
        return decrypt(sealed, "");
    }

    public byte[] decrypt(String sealed, String associatedData) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(associatedData, "associatedData");
        String[] parts = sealed.split("\\$", -1);
        if (parts.length != 5) {
            throw new KeyEncryptionException("not an encrypted key: expected 5 '$'-separated fields");
        }
        if (!VERSION.equals(parts[0])) {
            throw new KeyEncryptionException("unsupported encrypted key version '" + parts[0] + "'");
        }
        int iterations;
        byte[] salt;
        byte[] iv;
        byte[] ct;
        try {
            iterations = Integer.parseInt(parts[1]);
            salt = B64D.decode(parts[2]);
            iv = B64D.decode(parts[3]);
            ct = B64D.decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new KeyEncryptionException("malformed encrypted key", e);
        }
        if (iterations < ITERATIONS || iterations > MAX_ITERATIONS || salt.length != SALT_BYTES
                || iv.length != IV_BYTES || ct.length < TAG_BITS / 8) {
            throw new KeyEncryptionException("malformed encrypted key parameters");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, deriveKey(salt, iterations), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(iterations, salt, associatedData));
            return cipher.doFinal(ct);
        } catch (AEADBadTagException e) {
            throw new KeyEncryptionException(
                    "cannot decrypt the stored key: wrong master secret, or the data was tampered with", e);
        } catch (GeneralSecurityException e) {
            throw new KeyEncryptionException("cannot decrypt the stored key", e);
        }
    }

    private SecretKeySpec deriveKey(byte[] salt, int iterations) throws GeneralSecurityException {
        KeySpec spec = new PBEKeySpec(masterSecret, salt, iterations, 256);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        try {
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] aad(int iterations, byte[] salt, String associatedData) {
        return (VERSION + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + associatedData)
                .getBytes(StandardCharsets.UTF_8);
    }
}
