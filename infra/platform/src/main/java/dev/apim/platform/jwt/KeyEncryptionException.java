package dev.apim.platform.jwt;

/** Stored key material could not be decrypted: wrong master secret, tampered or malformed data. */
public class KeyEncryptionException extends RuntimeException {

    public KeyEncryptionException(String message) {
        super(message);
    }

    public KeyEncryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
