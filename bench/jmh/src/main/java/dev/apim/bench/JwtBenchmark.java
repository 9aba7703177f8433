package dev.apim.bench;

import dev.apim.domain.keys.KeyType;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.jwt.AuthorizedUserType;
import dev.apim.platform.jwt.IssuedToken;
import dev.apim.platform.jwt.JwtIssuer;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.jwt.KeyResolver;
import dev.apim.platform.jwt.SigningKeyRing;
import dev.apim.platform.jwt.TokenRequest;
import dev.apim.platform.jwt.VerifiedToken;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Key Manager's token work in isolation: signing a WSO2-shaped access token (RS256, RSA-2048, kid, WSO2 claims)
 * with {@link JwtIssuer}, and verifying one with {@link JwtVerifier} (header check, key lookup, signature, time,
 * issuer and claim mapping), each on one and on two threads. Throughput in operations per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JwtBenchmark {

    private static final String ISSUER = "https://localhost:9443/oauth2/token";

    private JwtIssuer issuer;
    private JwtVerifier verifier;
    private TokenRequest request;
    private String token;

    @Setup
    public void setUp() {
        Clock clock = Clock.systemUTC();
        SigningKeyRing ring = new SigningKeyRing(Duration.ofDays(30), Duration.ofDays(1), Duration.ofDays(1));
        ring.ensureKeys(clock.instant());
        issuer = new JwtIssuer(ISSUER, ring::signingKey, clock);
        verifier = JwtVerifier.builder(ISSUER, KeyResolver.of(ring::publishedKeys)).clock(clock).build();
        request = new TokenRequest("admin@carbon.super", "Xq3Fh0k1LZb8TfE7wYc2mUo9aJ4", "Xq3Fh0k1LZb8TfE7wYc2mUo9aJ4",
                List.of("default", "apim:subscribe"), KeyType.PRODUCTION, AuthorizedUserType.APPLICATION,
                new ApplicationClaim("7", "3f0c6a2e-9b1d-4e8a-a7c5-1d2e3f4a5b6c", "DefaultApplication", "Unlimited",
                        "admin"), Duration.ofHours(1));
        token = issuer.issue(request).token();
        verifier.verify(token);
    }

    @Benchmark
    @Threads(1)
    public IssuedToken issue_1thread() {
        return issuer.issue(request);
    }

    @Benchmark
    @Threads(2)
    public IssuedToken issue_2threads() {
        return issuer.issue(request);
    }

    @Benchmark
    @Threads(1)
    public VerifiedToken verify_1thread() {
        return verifier.verify(token);
    }

    @Benchmark
    @Threads(2)
    public VerifiedToken verify_2threads() {
        return verifier.verify(token);
    }
}
