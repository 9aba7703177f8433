package dev.apim.gateway;

import dev.apim.gateway.analytics.AnalyticsEvent;
import dev.apim.gateway.model.Api;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GatewayProxyTest extends GatewayTestBase {

    @Test
    void forwarded_headers_are_set_and_hop_by_hop_headers_dropped_both_ways() throws Exception {
        String request = "GET /pizzashack/1.0.0/menu HTTP/1.1\r\n"
                + "Host: gw.example.com\r\n"
                + "Authorization: Bearer " + prodToken() + "\r\n"
                + "Connection: keep-alive, x-private\r\n"
                + "X-Private: secret\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                + "X-Custom: kept\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\n"
                + "\r\n";
        String response;
        try (Socket s = new Socket("127.0.0.1", edge.server().httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            response = readResponse(s.getInputStream());
        }
        String lower = response.toLowerCase();
        assertThat(response).startsWith("HTTP/1.1 200");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(body).startsWith("GET /prod/menu\n")
                .contains("x-custom: kept")
                .contains("x-forwarded-for: 203.0.113.9, 127.0.0.1")
                .contains("x-forwarded-proto: http")
                .contains("x-forwarded-host: gw.example.com")
                .contains("host: 127.0.0.1:" + backend.port())
                .doesNotContain("authorization")
                .doesNotContain("x-private")
                .doesNotContain("keep-alive: timeout")
                .doesNotContain("te: trailers");
        String head = lower.substring(0, lower.indexOf("\r\n\r\n"));
        assertThat(head).contains("x-backend: echo").doesNotContain("x-drop-me").doesNotContain("keep-alive: timeout");
    }

    @Test
    void a_large_request_body_is_streamed_to_the_backend() throws Exception {
        byte[] payload = new byte[24 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/upload"))
                .header("Authorization", "Bearer " + prodToken())
                .timeout(java.time.Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(payload.length + " " + sha256(payload));
    }

    @Test
    void a_large_response_is_streamed_to_the_client() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/big?mb=64"))
                .header("Authorization", "Bearer " + prodToken()).timeout(java.time.Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void an_unreachable_backend_is_502_101503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        lookup.put(pizzaApi("http://127.0.0.1:" + closedPort + "/prod", null, null, List.of()));
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(code(r)).isEqualTo("101503");
    }

    @Test
    void a_backend_slower_than_the_response_timeout_is_504_101504() throws Exception {
        HttpResponse<String> r = get("/pizzashack/1.0.0/slow", prodToken());
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(code(r)).isEqualTo("101504");
    }

    @Test
    void sandbox_tokens_go_to_the_sandbox_endpoint_and_a_missing_endpoint_is_refused() throws Exception {
        String sandbox = km.token(SANDBOX_KEY, dev.apim.domain.keys.KeyType.SANDBOX, USER, List.of());
        assertThat(get("/pizzashack/1.0.0/menu", sandbox).body()).startsWith("GET /sandbox/menu\n");
        lookup.put(pizzaApi(backend.url("/prod"), null, null, List.of()));
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", sandbox);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(code(r)).isEqualTo("900901");
        assertThat(r.body()).contains("Sandbox key offered to an API with no sandbox endpoint");
    }

    @Test
    void every_call_becomes_an_analytics_event_and_a_timer_sample() throws Exception {
        get("/pizzashack/1.0.0/menu", prodToken());
        get("/pizzashack/1.0.0/menu", null);
        await().until(() -> edge.analytics().size() >= 2);
        List<AnalyticsEvent> events = edge.analytics().drain(10);
        assertThat(events).extracting(AnalyticsEvent::status).containsExactly(200, 401);
        AnalyticsEvent ok = events.get(0);
        assertThat(ok.apiId()).isEqualTo(API_ID);
        assertThat(ok.applicationId()).isEqualTo(APP_ID);
        assertThat(ok.user()).isEqualTo(USER);
        assertThat(ok.keyType()).isEqualTo("PRODUCTION");
        assertThat(ok.backendStatus()).isEqualTo(200);
        assertThat(events.get(1).errorCode()).isEqualTo("900902");
        assertThat(registry.find("apim.gateway.requests").tag("outcome", "proxied").timer().count()).isEqualTo(1);
        assertThat(registry.find("apim.gateway.requests").tag("outcome", "refused").timer().count()).isEqualTo(1);
    }

    @Test
    void the_https_listener_serves_the_same_pipeline() throws Exception {
        edge.close();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("gw-tls");
        var keyStore = dev.apim.platform.tls.SelfSignedCertificate.ensure(dir.resolve("gw.p12"),
                "changeit".toCharArray(), "localhost", List.of("127.0.0.1"));
        GatewayProperties p = properties();
        GatewayProperties tls = new GatewayProperties(-1, 0, null, p.keyStorePassword(), p.hostnames(),
                p.tokenIssuer(), p.jwksUrl(), null, p.jwksTrustStorePassword(), p.jwksRefreshInterval(),
                p.jwksMinRefreshGap(), p.jwksFetchTimeout(), p.tokenCacheSize(), p.clockSkew(), false,
                p.connectTimeout(), p.responseTimeout(), p.maxConnections(), p.pendingAcquireTimeout(), 100);
        edge = new GatewayEdge(tls, lookup, throttler, registry, java.time.Clock.systemUTC(),
                reactor.netty.http.client.HttpClient.create(), keyStore);
        edge.server().start();
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(keyStore.load());
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(ssl)
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + edge.server().httpsPort() + "/pizzashack/1.0.0/menu"))
                .header("Authorization", "Bearer " + prodToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("x-forwarded-proto: https");
    }

    private static String readResponse(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[8192];
        int contentLength = -1;
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            int end = b.indexOf("\r\n\r\n");
            if (end >= 0) {
                if (contentLength < 0) {
                    String head = b.substring(0, end).toLowerCase();
                    int i = head.indexOf("content-length:");
                    contentLength = i < 0 ? 0 : Integer.parseInt(head.substring(i + 15, head.indexOf("\r\n", i) < 0
                            ? head.length() : head.indexOf("\r\n", i)).trim());
                }
                if (b.length() >= end + 4 + contentLength) {
                    break;
                }
            }
        }
        return b.toString();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
