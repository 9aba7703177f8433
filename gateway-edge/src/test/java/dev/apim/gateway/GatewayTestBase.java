package dev.apim.gateway;

import dev.apim.domain.keys.KeyType;
import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.gateway.model.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import reactor.netty.http.client.HttpClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Starts a real gateway (HTTP on a free port) per test, against a real backend and a JWKS endpoint served over
 * HTTP, with an in-memory gateway state and throttler.
 */
abstract class GatewayTestBase {

    static final String TENANT = "carbon.super";
    static final String API_ID = "api-pizza";
    static final String APP_ID = "app-1";
    static final String PROD_KEY = "ck-prod";
    static final String SANDBOX_KEY = "ck-sandbox";
    static final String USER = "alice@carbon.super";

    static TestKeyManager km;
    static TestBackend backend;
    static final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    InMemoryGatewayLookup lookup;
    InMemoryThrottler throttler;
    GatewayEdge edge;
    SimpleMeterRegistry registry;

    @BeforeAll
    static void servers() {
        km = new TestKeyManager();
        backend = new TestBackend();
    }

    @AfterAll
    static void stopServers() {
        km.close();
        backend.close();
    }

    @BeforeEach
    void startGateway() {
        lookup = new InMemoryGatewayLookup();
        throttler = new InMemoryThrottler();
        lookup.put(pizzaApi(backend.url("/prod"), backend.url("/sandbox"), null, List.of()))
                .put(new Application(APP_ID, TENANT, "App1", "alice", null))
                .put(new KeyMapping(PROD_KEY, APP_ID, TENANT, KeyType.PRODUCTION, true))
                .put(new KeyMapping(SANDBOX_KEY, APP_ID, TENANT, KeyType.SANDBOX, true))
                .put(new Subscription("sub-1", API_ID, APP_ID, TENANT, null, "UNBLOCKED"));
        registry = new SimpleMeterRegistry();
        edge = new GatewayEdge(properties(), lookup, throttler, registry, Clock.systemUTC(), HttpClient.create(),
                null);
        edge.server().start();
    }

    @AfterEach
    void stopGateway() {
        edge.close();
    }

    GatewayProperties properties() {
        GatewayProperties d = GatewayProperties.defaults();
        return new GatewayProperties(0, -1, null, d.keyStorePassword(), d.hostnames(), TestKeyManager.ISSUER,
                km.jwksUrl(), null, d.jwksTrustStorePassword(), d.jwksRefreshInterval(), Duration.ofMillis(200),
                d.jwksFetchTimeout(), d.tokenCacheSize(), d.clockSkew(), true, Duration.ofSeconds(2),
                Duration.ofMillis(800), 64, d.pendingAcquireTimeout(), 1000);
    }

    static Api pizzaApi(String production, String sandbox, String apiPolicy, List<Api.Resource> extra) {
        List<Api.Resource> resources = new java.util.ArrayList<>(List.of(
                new Api.Resource("GET", "/menu", true, null, List.of()),
                new Api.Resource("GET", "/orders/{orderId}", true, null, List.of()),
                new Api.Resource("GET", "/orders/{orderId}/items/{itemId}", true, null, List.of()),
                new Api.Resource("GET", "/orders/latest", true, null, List.of()),
                new Api.Resource("POST", "/orders", true, null, List.of("order:write")),
                new Api.Resource("GET", "/files/*", true, null, List.of()),
                new Api.Resource("GET", "/public", false, null, List.of()),
                new Api.Resource("POST", "/upload", true, null, List.of()),
                new Api.Resource("GET", "/big", true, null, List.of()),
                new Api.Resource("GET", "/slow", true, null, List.of())));
        resources.addAll(extra);
        return new Api(API_ID, TENANT, "PizzaShack", "/pizzashack/1.0.0", "1.0.0", true, "PUBLISHED", "rev-1",
                apiPolicy, production, sandbox, resources);
    }

    String base() {
        return "http://127.0.0.1:" + edge.server().httpPort();
    }

    String prodToken() {
        return km.token(PROD_KEY, KeyType.PRODUCTION, USER, List.of("order:write"));
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), token);
    }

    HttpResponse<String> send(HttpRequest.Builder b, String token) throws IOException, InterruptedException {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String code(HttpResponse<String> r) {
        String body = r.body();
        int i = body.indexOf("\"code\":\"");
        return i < 0 ? null : body.substring(i + 8, body.indexOf('"', i + 8));
    }
}
