package dev.apim.platform.jwt;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * The storable form of a {@link SigningKey}: public key in clear (X.509, base64), private key encrypted with
 * {@link KeyEncryption} and bound to the {@code kid} and the public key, so keys survive restarts without plaintext at rest.
 */
public record SealedSigningKey(String kid, SigningKey.State state, Instant createdAt, Instant activatedAt,
                               Instant deactivatedAt, Instant retiredAt, String publicKey,
                               String encryptedPrivateKey) {

    public static SealedSigningKey seal(SigningKey key, KeyEncryption encryption) {
        byte[] pkcs8 = key.privateKey().getEncoded();
        String pub = Base64.getEncoder().encodeToString(key.publicKey().getEncoded());
        try {
            return new SealedSigningKey(key.kid(), key.state(), key.createdAt(), key.activatedAt(),
                    key.deactivatedAt(), key.retiredAt(), pub, encryption.encrypt(pkcs8, binding(key.kid(), pub)));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** @throws KeyEncryptionException on a wrong master secret or tampered data */
    public SigningKey unseal(KeyEncryption encryption) {
        byte[] pkcs8 = encryption.decrypt(encryptedPrivateKey, binding(kid, publicKey));
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PublicKey pub = rsa.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            PrivateKey priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new SigningKey(kid, new KeyPair(pub, priv), state, createdAt, activatedAt, deactivatedAt,
                    retiredAt);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyEncryptionException("stored key " + kid + " is not a valid RSA key pair", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static String binding(String kid, String publicKey) {
        return "signing-key$" + kid + "$" + publicKey;
    }
}
