package dev.apim.platform.jwt;

import java.time.Instant;

/** A freshly signed token and the facts the token endpoint needs to answer with. */
public record IssuedToken(String token, String jti, String keyId, Instant issuedAt, Instant expiresAt) {
}
