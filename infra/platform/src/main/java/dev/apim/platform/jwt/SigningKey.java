package dev.apim.platform.jwt;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One RSA signing key and where it is in its life. Immutable; transitions return a new instance.
 *
 * @param activatedAt   when it started signing (null while NEXT)
 * @param deactivatedAt when it stopped signing, i.e. became RETIRING (null before)
 * @param retiredAt     when it left the JWKS, i.e. became RETIRED (null before)
 */
public record SigningKey(String kid, KeyPair keyPair, State state, Instant createdAt, Instant activatedAt,
                         Instant deactivatedAt, Instant retiredAt) {

    public enum State {
        /** Published in JWKS, not yet signing. */
        NEXT,
        /** Published and signing. Exactly one at a time. */
        ACTIVE,
        /** Published, no longer signing; tokens it signed may still be live. */
        RETIRING,
        /** Not published; every token it signed has expired. */
        RETIRED
    }

    public static final int RSA_BITS = 2048;

    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!(keyPair.getPublic() instanceof RSAPublicKey pub) || !(keyPair.getPrivate() instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException("signing keys are RSA");
        }
        if (pub.getModulus().bitLength() < RSA_BITS) {
            throw new IllegalArgumentException("RSA signing keys must have at least " + RSA_BITS + " bits");
        }
        if (state != State.NEXT) {
            Objects.requireNonNull(activatedAt, "activatedAt");
        }
        if (state == State.RETIRING || state == State.RETIRED) {
            Objects.requireNonNull(deactivatedAt, "deactivatedAt");
        }
        if (state == State.RETIRED) {
            Objects.requireNonNull(retiredAt, "retiredAt");
        }
    }

    /** A new NEXT key with a random kid and a fresh RSA-2048 key pair. */
    public static SigningKey generate(Instant now) {
        return new SigningKey(UUID.randomUUID().toString(), generateKeyPair(), State.NEXT, now, null, null, null);
    }

    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(RSA_BITS);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keyPair.getPublic();
    }

    public RSAPrivateKey privateKey() {
        return (RSAPrivateKey) keyPair.getPrivate();
    }

    public boolean published() {
        return state != State.RETIRED;
    }

    SigningKey activate(Instant now) {
        return new SigningKey(kid, keyPair, State.ACTIVE, createdAt, now, null, null);
    }

    SigningKey deactivate(Instant now) {
        return new SigningKey(kid, keyPair, State.RETIRING, createdAt, activatedAt, now, null);
    }

    SigningKey retire(Instant now) {
        return new SigningKey(kid, keyPair, State.RETIRED, createdAt, activatedAt, deactivatedAt, now);
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", state=" + state + ", createdAt=" + createdAt + ", activatedAt="
                + activatedAt + ", deactivatedAt=" + deactivatedAt + ", retiredAt=" + retiredAt + "]";
    }
}
