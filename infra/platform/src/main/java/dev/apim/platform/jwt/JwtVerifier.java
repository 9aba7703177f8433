package dev.apim.platform.jwt;

import dev.apim.domain.keys.KeyType;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.platform.jwt.InvalidTokenException.Reason;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.InvalidClaimException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureException;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Verifies access tokens: RS256 only (decided from the header before any key is touched), a known {@code kid},
 * the signature, {@code exp}/{@code nbf} with a small clock skew, the exact issuer, optionally the audience,
 * and revocation by {@code jti} or by consumer key ({@code azp}) "issued before".
 */
public final class JwtVerifier {

    /** For a consumer key, the instant before which its tokens are revoked, if any. */
    @FunctionalInterface
    public interface ConsumerKeyRevocations {
        Optional<Instant> revokedBefore(String consumerKey);
    }

    public static final String ALGORITHM = "RS256";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    private static final ObjectMapper HEADER_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String issuer;
    private final KeyResolver keys;
    private final String audience;
    private final Predicate<String> revokedJti;
    private final ConsumerKeyRevocations consumerKeyRevocations;
    private final JwtParser parser;

    private JwtVerifier(Builder b) {
        this.issuer = b.issuer;
        this.keys = b.keys;
        this.audience = b.audience;
        this.revokedJti = b.revokedJti;
        this.consumerKeyRevocations = b.consumerKeyRevocations;
        Clock clock = b.clock;
        this.parser = Jwts.parser()
                .sig().clear().add(Jwts.SIG.RS256).and()
                .keyLocator(new LocatorAdapter<>() {
                    @Override
                    protected Key locate(JwsHeader header) {
                        // The header jjwt parsed must agree with the one we checked.
                        if (!ALGORITHM.equals(header.getAlgorithm())) {
                            throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM,
                                    "algorithm " + header.getAlgorithm() + " is not accepted");
                        }
                        return resolve(header.getKeyId());
                    }
                })
                .requireIssuer(issuer)
                .clockSkewSeconds(b.clockSkew.toSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /** The issuer every accepted token names. */
    public String issuer() {
        return issuer;
    }

    public static Builder builder(String issuer, KeyResolver keys) {
        return new Builder(issuer, keys);
    }

    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException(Reason.MALFORMED, "no token");
        }
        String kid = checkHeader(token);
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (InvalidTokenException e) {
            throw e;
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException(Reason.EXPIRED, "token expired at " + e.getClaims().getExpiration(), e);
        } catch (PrematureJwtException e) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID,
                    "token not valid before " + e.getClaims().getNotBefore(), e);
        } catch (InvalidClaimException e) {
            if (Claims.ISSUER.equals(e.getClaimName())) {
                throw new InvalidTokenException(Reason.WRONG_ISSUER, "issuer is not " + issuer, e);
            }
            throw new InvalidTokenException(Reason.MALFORMED, e.getMessage(), e);
        } catch (SignatureException e) {
            throw new InvalidTokenException(Reason.BAD_SIGNATURE, "signature does not verify", e);
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException(Reason.MALFORMED, e.getMessage(), e);
        }
        return toVerified(kid, claims);
    }

    /** Rejects everything but a compact JWS whose header says RS256 and names a {@code kid}. */
    private static String checkHeader(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a compact JWS (" + parts.length + " parts)");
        }
        JsonNode header;
        try {
            header = HEADER_JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        } catch (Exception e) {
            throw new InvalidTokenException(Reason.MALFORMED, "unreadable header", e);
        }
        if (header == null || !header.isObject() || !header.path("alg").isTextual()) {
            throw new InvalidTokenException(Reason.MALFORMED, "header has no alg");
        }
        String alg = header.get("alg").asText();
        if (!ALGORITHM.equals(alg)) {
            throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM, "algorithm " + alg + " is not accepted");
        }
        if (parts[2].isEmpty()) {
            throw new InvalidTokenException(Reason.BAD_SIGNATURE, "no signature");
        }
        if (!header.path("kid").isTextual()) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY, "header has no kid");
        }
        return header.get("kid").asText();
    }

    private RSAPublicKey resolve(String kid) {
        if (kid == null) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY, "header has no kid");
        }
        Optional<RSAPublicKey> key = keys.find(kid);
        if (key.isEmpty()) {
            keys.refresh();
            key = keys.find(kid);
        }
        return key.orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY, "unknown kid " + kid));
    }

    private VerifiedToken toVerified(String kid, Claims claims) {
        String jti = claims.getId();
        Date iat = claims.getIssuedAt();
        Date exp = claims.getExpiration();
        if (jti == null || iat == null || exp == null) {
            throw new InvalidTokenException(Reason.MALFORMED, "token lacks jti, iat or exp");
        }
        Set<String> aud = claims.getAudience() == null ? Set.of() : claims.getAudience();
        if (audience != null && !aud.contains(audience)) {
            throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "audience does not include " + audience);
        }
        String azp;
        KeyType keyType;
        AuthorizedUserType aut;
        ApplicationClaim application;
        Set<String> scopes = new LinkedHashSet<>();
        try {
            azp = claims.get("azp", String.class);
            String keyTypeClaim = claims.get("keytype", String.class);
            keyType = keyTypeClaim == null ? null : KeyType.valueOf(keyTypeClaim);
            String autClaim = claims.get("aut", String.class);
            aut = autClaim == null ? null : AuthorizedUserType.valueOf(autClaim);
            Object app = claims.get("application");
            application = app == null ? null : ApplicationClaim.fromClaim(app);
            String scope = claims.get("scope", String.class);
            if (scope != null) {
                Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).forEach(scopes::add);
            }
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "bad claim: " + e.getMessage(), e);
        }
        Instant issuedAt = iat.toInstant();
        if (revokedJti.test(jti)) {
            throw new InvalidTokenException(Reason.REVOKED, "token " + jti + " is revoked");
        }
        if (azp != null) {
            Optional<Instant> cutoff = consumerKeyRevocations.revokedBefore(azp);
            // iat has second precision: a token issued in the same second as the revocation counts as revoked.
            if (cutoff.isPresent() && !issuedAt.isAfter(cutoff.get())) {
                throw new InvalidTokenException(Reason.REVOKED,
                        "tokens of " + azp + " issued before " + cutoff.get() + " are revoked");
            }
        }
        return new VerifiedToken(claims.getSubject(), azp, scopes, keyType, aut, application, jti, aud, kid,
                issuedAt, exp.toInstant());
    }

    public static final class Builder {
        private final String issuer;
        private final KeyResolver keys;
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private String audience;
        private Predicate<String> revokedJti = jti -> false;
        private ConsumerKeyRevocations consumerKeyRevocations = ck -> Optional.empty();

        private Builder(String issuer, KeyResolver keys) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clock skew must be between 0 and 5 minutes");
            }
            this.clockSkew = skew;
            return this;
        }

        /** Require this value in {@code aud}; by default the audience is not checked. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder revokedJti(Predicate<String> revoked) {
            this.revokedJti = Objects.requireNonNull(revoked);
            return this;
        }

        public Builder consumerKeyRevocations(ConsumerKeyRevocations revocations) {
            this.consumerKeyRevocations = Objects.requireNonNull(revocations);
            return this;
        }

        public JwtVerifier build() {
            return new JwtVerifier(this);
        }
    }
}
