package dev.apim.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.redisson.api.redisnode.RedisNodes;

/** Each source on its own, whatever this JVM's TestServices resolved to. */
class SourcesTest {

    @Test
    void parsesAdminUrlsWithTheDriver() {
        assertThat(PostgresService.parse("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"))
                .isEqualTo(new PostgresEndpoint("127.0.0.1", 5432, "postgres", ""));
        assertThat(PostgresService.parse("jdbc:postgresql://db.example:6543/admin?user=apim&password=s%26cret&sslmode=require"))
                .isEqualTo(new PostgresEndpoint("db.example", 6543, "apim", "s&cret"));
        assertThat(PostgresService.parse("jdbc:postgresql://db.example/admin?user=apim").port()).isEqualTo(5432);
        assertThat(PostgresService.parse("jdbc:postgresql://[::1]:5433/postgres?user=u").host()).isEqualTo("::1");
        assertThat(PostgresService.parse("jdbc:postgresql://h1:5433,h2:5434/postgres?user=u"))
                .isEqualTo(new PostgresEndpoint("h1", 5433, "u", ""));
        assertThatThrownBy(() -> PostgresService.parse("jdbc:mysql://x/y?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void endpointBuildsEncodedUrls() {
        PostgresEndpoint endpoint = new PostgresEndpoint("::1", 5433, "apim", "p&ss word");
        assertThat(endpoint.jdbcUrl("db1")).isEqualTo("jdbc:postgresql://[::1]:5433/db1?user=apim&password=p%26ss%20word");
        assertThat(PostgresService.parse(endpoint.jdbcUrl("db1"))).isEqualTo(endpoint);
        assertThat(endpoint.toString()).doesNotContain("p&ss");
    }

    @Test
    void withoutDockerTheProbeIsQuick() {
        assumeTrue(Docker.hints().isEmpty(), "this machine has traces of a Docker engine");
        long started = System.nanoTime();
        assertThat(Docker.available()).isFalse();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void embeddedPostgresGivesFreshDatabases() throws Exception {
        PostgresService embedded = PostgresService.embedded();
        assertThat(embedded.describe()).startsWith("embedded(127.0.0.1:");
        String url = embedded.freshDatabase("embedded");
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_database()")) {
            row.next();
            assertThat(row.getString(1)).startsWith("embedded_").hasSize("embedded_".length() + 12);
        }
    }

    @Test
    void embeddedRedisAnswers() throws Exception {
        RedisService embedded = RedisService.embedded();
        assertThat(embedded.describe()).startsWith("embedded(127.0.0.1:");
        boolean answered = RedisProbe.with(embedded.uri(), redis -> redis.getRedisNodes(RedisNodes.SINGLE).pingAll());
        assertThat(answered).isTrue();
    }

    @Test
    void externalDatabasesAreDropped() throws Exception {
        assumeTrue(LocalServers.postgresAnswers(), "no PostgreSQL on 127.0.0.1:5432");
        PostgresService external = PostgresService.external(TestServicesTest.LOCAL_ADMIN_URL);
        assertThat(external.describe()).isEqualTo("external(127.0.0.1:5432)");
        String url = external.freshDatabase("dropped");
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        // an open session must not keep the drop from happening
        try (Connection open = DriverManager.getConnection(url)) {
            external.dropCreatedDatabases();
            assertThat(exists(name)).isFalse();
        } catch (java.sql.SQLException closedByForce) {
            // the forced drop terminated the session; that is fine
        }
        assertThat(exists(name)).isFalse();
    }

    @Test
    void externalRedisUrisAreChecked() {
        assertThat(RedisService.external("redis://127.0.0.1:6379").describe()).isEqualTo("external(127.0.0.1:6379)");
        assertThat(RedisService.external("rediss://cache.example").describe()).isEqualTo("external(cache.example:6379)");
        assertThatThrownBy(() -> RedisService.external("http://127.0.0.1:6379")).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean exists(String database) throws Exception {
        try (Connection admin = DriverManager.getConnection(TestServicesTest.LOCAL_ADMIN_URL);
                Statement statement = admin.createStatement();
                ResultSet row = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
            return row.next();
        }
    }
}
