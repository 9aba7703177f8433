package dev.apim.testsupport;

import dev.apim.platform.embedded.EmbeddedRedisServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/** One Redis server for the tests of this JVM, whichever way it was obtained. */
final class RedisService {

    enum Kind {
        EXTERNAL, TESTCONTAINERS, EMBEDDED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String DEFAULT_IMAGE = "redis:7-alpine";

    private final Kind kind;
    private final String uri;

    private RedisService(Kind kind, String uri) {
        this.kind = kind;
        this.uri = uri;
    }

    static RedisService resolve() {
        String url = Settings.get(Settings.REDIS_URL_PROPERTY, Settings.REDIS_URL_ENV);
        if (url != null) {
            return external(url);
        }
        if (Docker.available()) {
            return new RedisService(Kind.TESTCONTAINERS,
                    Containers.redis(Settings.get(Settings.REDIS_IMAGE_PROPERTY, null, DEFAULT_IMAGE)));
        }
        return embedded();
    }

    static RedisService external(String uri) {
        URI parsed = URI.create(uri);
        if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URI with a host: " + uri);
        }
        return new RedisService(Kind.EXTERNAL, uri);
    }

    static RedisService embedded() {
        Path directory = TempDirectories.create("apim-test-redis-");
        EmbeddedRedisServer server;
        try {
            server = EmbeddedRedisServer.start(directory);
        } catch (RuntimeException e) {
            TempDirectories.deleteQuietly(directory);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                TempDirectories.deleteQuietly(directory);
            }
        }, "apim-test-redis-cleanup"));
        return new RedisService(Kind.EMBEDDED, server.uri());
    }

    Kind kind() {
        return kind;
    }

    String uri() {
        return uri;
    }

    String describe() {
        URI parsed = URI.create(uri);
        int port = parsed.getPort() < 0 ? 6379 : parsed.getPort();
        return kind.label() + "(" + parsed.getHost() + ":" + port + ")";
    }
}
