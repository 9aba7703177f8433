package dev.apim.testsupport;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers-backed servers. Only loaded once {@link Docker#available()} said yes; the containers
 * live until the JVM exits (Testcontainers' reaper removes them).
 */
final class Containers {

    private static final int REDIS_PORT = 6379;

    private Containers() {
    }

    @SuppressWarnings("resource") // lives for the whole JVM
    static PostgresEndpoint postgres(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(
                DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withDatabaseName("postgres")
                .withUsername("postgres")
                .withPassword("postgres");
        container.start();
        return new PostgresEndpoint(container.getHost(), container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
                container.getUsername(), container.getPassword());
    }

    @SuppressWarnings("resource") // lives for the whole JVM
    static String redis(String image) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        container.start();
        return "redis://" + container.getHost() + ":" + container.getMappedPort(REDIS_PORT);
    }
}
