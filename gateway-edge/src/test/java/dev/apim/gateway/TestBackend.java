package dev.apim.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small real backend: {@code /<any>/echo...} answers the request line and headers as text; {@code .../upload}
 * digests the streamed request body; {@code .../big?mb=N} streams N MiB; {@code .../slow} answers after 3 s.
 */
final class TestBackend implements AutoCloseable {

    private final DisposableServer server;

    TestBackend() {
        server = HttpServer.create().host("127.0.0.1").port(0).handle((req, res) -> {
            String uri = req.uri();
            if (uri.contains("/upload")) {
                // Digests the body as it streams in (no aggregation), then answers "<bytes> <sha-256>".
                java.security.MessageDigest sha = sha256();
                long[] count = {0};
                return res.header("x-backend", "upload").sendString(req.receive().asByteArray().doOnNext(b -> {
                    sha.update(b);
                    count[0] += b.length;
                }).then(Mono.fromSupplier(() -> count[0] + " " + java.util.HexFormat.of().formatHex(sha.digest()))));
            }
            if (uri.contains("/big")) {
                int mb = Integer.parseInt(uri.substring(uri.indexOf("mb=") + 3));
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) i;
                }
                Flux<ByteBuf> body = Flux.range(0, mb * 16).map(i -> Unpooled.wrappedBuffer(chunk));
                return res.header("content-length", Long.toString(mb * 1024L * 1024L)).send(body);
            }
            if (uri.contains("/slow")) {
                return res.sendString(Mono.delay(Duration.ofSeconds(3)).thenReturn("late"));
            }
            StringBuilder b = new StringBuilder();
            b.append(req.method().name()).append(' ').append(uri).append('\n');
            Map<String, String> sorted = new TreeMap<>();
            req.requestHeaders().forEach(e -> sorted.merge(e.getKey().toLowerCase(), e.getValue(), (a, c) -> a + "," + c));
            sorted.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
            return res.header("x-backend", "echo")
                    .header("connection", "keep-alive, x-drop-me")
                    .header("x-drop-me", "1")
                    .header("keep-alive", "timeout=5")
                    .sendString(Mono.just(b.toString()), StandardCharsets.UTF_8);
        }).bindNow();
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.port();
    }

    String url(String basePath) {
        return "http://127.0.0.1:" + server.port() + basePath;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
