package dev.apim.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL and Redis for tests (DESIGN §9), one of each per JVM, started on first use.
 *
 * <p>PostgreSQL comes from, in order: the JDBC URL of an admin database on a running server in
 * {@code apim.test.db-url} (system property) or {@code APIM_TEST_DB_URL} (environment), e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}; a Testcontainers container when a
 * Docker engine answers; an embedded server in a temporary directory deleted at exit. Redis likewise
 * from {@code apim.test.redis-url} / {@code APIM_TEST_REDIS_URL}, a {@code redis:7-alpine} container,
 * or an embedded redis-server. Set {@code apim.test.testcontainers=false} (or
 * {@code APIM_TEST_TESTCONTAINERS=false}) to skip Testcontainers.
 */
public final class TestServices {

    private static final Logger LOG = LoggerFactory.getLogger(TestServices.class);
    private static PostgresService postgres;
    private static RedisService redis;

    private TestServices() {
    }

    /** The JVM-wide PostgreSQL server; its user may create databases. */
    public static PostgresEndpoint postgres() {
        return postgresService().endpoint();
    }

    /**
     * Creates the database {@code <prefix>_<12 random [a-z0-9]>} and returns its JDBC URL (user and
     * password as query parameters). On an external server it is dropped when the JVM exits.
     *
     * @param prefix lower-case letters, digits and underscores, not starting with a digit, at most 50
     *     characters (upper case is lowered)
     */
    public static String freshDatabase(String prefix) {
        return postgresService().freshDatabase(prefix);
    }

    /** {@code redis://host:port} of the JVM-wide Redis server. */
    public static String redisUri() {
        return redisService().uri();
    }

    /** For logs, e.g. {@code postgres=external(127.0.0.1:5432) redis=embedded(127.0.0.1:41234)}. */
    public static String describe() {
        return "postgres=" + postgresService().describe() + " redis=" + redisService().describe();
    }

    static synchronized PostgresService postgresService() {
        if (postgres == null) {
            postgres = PostgresService.resolve();
            LOG.info("test PostgreSQL: {}", postgres.describe());
        }
        return postgres;
    }

    static synchronized RedisService redisService() {
        if (redis == null) {
            redis = RedisService.resolve();
            LOG.info("test Redis: {}", redis.describe());
        }
        return redis;
    }
}
