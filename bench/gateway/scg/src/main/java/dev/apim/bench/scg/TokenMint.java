package dev.apim.bench.scg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Writes {@code jwks.json} (public RSA-2048 key) and {@code token.jwt} (an RS256 access token with WSO2's
 * claims, valid for 30 days) to a directory. The private key is kept in memory only: a new run mints a new
 * key and token. Usage: {@code java -jar bench-scg.jar mint <dir> [issuer]}.
 */
public final class TokenMint {

  static final String DEFAULT_ISSUER = "https://localhost:9443/oauth2/token";

  private TokenMint() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: mint <dir> [issuer]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    String issuer = args.length > 1 ? args[1] : DEFAULT_ISSUER;
    Files.createDirectories(dir);

    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    String kid = UUID.randomUUID().toString();
    RSAKey publicJwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
        .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(publicJwk).toString(true));

    String clientId = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    String applicationId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject("admin")
        .audience(clientId)
        .claim("azp", clientId)
        .claim("scope", "default")
        .claim("keytype", "PRODUCTION")
        .claim("aut", "APPLICATION")
        .claim("application", Map.of("id", applicationId, "uuid", applicationId, "name", "BenchApp",
            "tier", "Unlimited", "owner", "admin"))
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(60)))
        .expirationTime(Date.from(now.plus(Duration.ofDays(30))))
        .build();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner((RSAPrivateKey) pair.getPrivate()));
    Files.writeString(dir.resolve("token.jwt"), jwt.serialize() + "\n");
    System.out.println("wrote " + dir.resolve("jwks.json") + " and " + dir.resolve("token.jwt")
        + " (kid " + kid + ", azp " + clientId + ")");
  }
}
