package dev.apim.bench.scg;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway configured like our gateway for the benchmark: one route to the backend, a JWT
 * resource server (RS256 against a JWKS URL, issuer, exp/nbf) and RequestRateLimiter with RedisRateLimiter
 * keyed by the token's {@code azp}. {@code java -jar bench-scg.jar mint <dir>} writes a key, JWKS and token
 * instead (see {@link TokenMint}).
 */
@SpringBootApplication
public class BenchGatewayApplication {

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("mint")) {
      TokenMint.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    SpringApplication.run(BenchGatewayApplication.class, args);
  }
}
