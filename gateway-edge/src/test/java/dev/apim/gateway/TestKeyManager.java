package dev.apim.gateway;

import dev.apim.domain.keys.KeyType;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.jwt.AuthorizedUserType;
import dev.apim.platform.jwt.JwksDocument;
import dev.apim.platform.jwt.JwtIssuer;
import dev.apim.platform.jwt.SigningKey;
import dev.apim.platform.jwt.TokenRequest;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in Key Manager: signs tokens with real RS256 keys and serves their JWKS over HTTP. */
final class TestKeyManager implements AutoCloseable {

    static final String ISSUER = "https://km.test/oauth2/token";

    final List<SigningKey> published = new CopyOnWriteArrayList<>();
    final AtomicInteger jwksFetches = new AtomicInteger();
    private final DisposableServer server;

    TestKeyManager() {
        published.add(newKey());
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/oauth2/jwks", (req, res) -> {
                    jwksFetches.incrementAndGet();
                    return res.header("content-type", "application/json")
                            .sendString(Mono.fromSupplier(() -> JwksDocument.of(published).toJson()));
                }))
                .bindNow();
    }

    static SigningKey newKey() {
        Instant now = Instant.now();
        return new SigningKey(UUID.randomUUID().toString(), SigningKey.generateKeyPair(), SigningKey.State.ACTIVE,
                now, now, null, null);
    }

    private static SigningKey cached;

    /** A key outside the JWKS, generated once (RSA generation is slow). */
    static synchronized SigningKey newKeyCached() {
        if (cached == null) {
            cached = newKey();
        }
        return cached;
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + server.port() + "/oauth2/jwks";
    }

    SigningKey key() {
        return published.get(0);
    }

    String token(String consumerKey, KeyType keyType, String subject, List<String> scopes) {
        return token(key(), ISSUER, Clock.systemUTC(), consumerKey, keyType, subject, scopes);
    }

    static String token(SigningKey key, String issuer, Clock clock, String consumerKey, KeyType keyType,
                        String subject, List<String> scopes) {
        return new JwtIssuer(issuer, () -> key, clock).issue(new TokenRequest(subject, consumerKey, consumerKey,
                scopes, keyType, AuthorizedUserType.APPLICATION,
                new ApplicationClaim("1", "app-1", "App1", "10PerMin", "alice"), Duration.ofHours(1))).token();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
