package dev.apim.platform.jwt;

import io.jsonwebtoken.Jwts;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/** Signs WSO2-shaped access tokens with RS256 and the current signing key's {@code kid}. */
public final class JwtIssuer {

    private final String issuer;
    private final Supplier<SigningKey> signingKey;
    private final Clock clock;

    /**
     * @param issuer     the {@code iss} value, e.g. {@code https://km.example.com/oauth2/token}
     * @param signingKey the key to sign with at each call, e.g. {@code ring::signingKey}
     */
    public JwtIssuer(String issuer, Supplier<SigningKey> signingKey, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public IssuedToken issue(TokenRequest request) {
        SigningKey key = signingKey.get();
        if (key.state() != SigningKey.State.ACTIVE) {
            throw new IllegalStateException("key " + key.kid() + " is " + key.state() + ", only ACTIVE keys sign");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant exp = now.plus(request.lifetime());
        String jti = UUID.randomUUID().toString();
        var builder = Jwts.builder()
                .header().keyId(key.kid()).type("JWT").and()
                .issuer(issuer)
                .subject(request.subject())
                .audience().single(request.audience())
                .claim("azp", request.authorizedParty())
                .claim("scope", String.join(" ", request.scopes()))
                .claim("keytype", request.keyType().name())
                .claim("aut", request.authorizedUserType().name())
                .id(jti)
                .issuedAt(Date.from(now))
                .notBefore(Date.from(now))
                .expiration(Date.from(exp))
                .signWith(key.privateKey(), Jwts.SIG.RS256);
        if (request.application() != null) {
            builder.claim("application", request.application().toClaim());
        }
        String token = builder.compact();
        return new IssuedToken(token, jti, key.kid(), now, exp);
    }
}
