package dev.apim.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RBucket;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;

/**
 * The public entry point. When nothing is configured and PostgreSQL answers on 127.0.0.1:5432 (this
 * machine, CI), the test points {@code apim.test.db-url} at it, as {@code .ci/run} does with
 * {@code APIM_TEST_DB_URL}; elsewhere TestServices falls back to Testcontainers or the embedded server.
 */
class TestServicesTest {

    static final String LOCAL_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static boolean configuredExternally;

    @BeforeAll
    static void pointAtTheLocalServerWhenThereIsOne() {
        if (Settings.get(Settings.DB_URL_PROPERTY, Settings.DB_URL_ENV) == null && LocalServers.postgresAnswers()) {
            System.setProperty(Settings.DB_URL_PROPERTY, LOCAL_ADMIN_URL);
        }
        configuredExternally = Settings.get(Settings.DB_URL_PROPERTY, Settings.DB_URL_ENV) != null;
    }

    @Test
    void freshDatabaseIsEmptyWritableAndDistinct() throws Exception {
        String first = TestServices.freshDatabase("apimgtdb");
        String second = TestServices.freshDatabase("apimgtdb");
        assertThat(first).startsWith("jdbc:postgresql://").contains("/apimgtdb_").isNotEqualTo(second);
        if (configuredExternally) {
            assertThat(TestServices.describe()).startsWith("postgres=external(");
        }

        try (Connection connection = DriverManager.getConnection(first);
                Statement statement = connection.createStatement()) {
            try (ResultSet tables = statement.executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
                tables.next();
                assertThat(tables.getInt(1)).isZero();
            }
            statement.execute("CREATE TABLE api (id uuid PRIMARY KEY, name text NOT NULL)");
            statement.execute("INSERT INTO api VALUES (gen_random_uuid(), 'PizzaShack')");
            try (ResultSet row = statement.executeQuery("SELECT name, current_database() FROM api")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("PizzaShack");
                assertThat(first).contains("/" + row.getString(2) + "?");
            }
        }
    }

    @Test
    void postgresEndpointConnects() throws Exception {
        PostgresEndpoint endpoint = TestServices.postgres();
        assertThat(endpoint.port()).isPositive();
        try (Connection connection = DriverManager.getConnection(endpoint.jdbcUrl("postgres"));
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getBoolean(1)).isTrue();
        }
    }

    @Test
    void rejectsBadPrefixes() {
        for (String bad : new String[] {"", "1db", "a-b", "x\"; DROP", "a".repeat(51)}) {
            assertThatThrownBy(() -> TestServices.freshDatabase(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(TestServices.freshDatabase("Mixed_Case")).contains("/mixed_case_");
    }

    @Test
    void redisAnswers() throws Exception {
        String uri = TestServices.redisUri();
        assertThat(uri).startsWith("redis://");
        String read = RedisProbe.with(uri, redis -> {
            assertThat(redis.getRedisNodes(RedisNodes.SINGLE).pingAll()).isTrue();
            RBucket<String> bucket = redis.getBucket("apim:test-services", StringCodec.INSTANCE);
            bucket.set("ok");
            String value = bucket.get();
            bucket.delete();
            return value;
        });
        assertThat(read).isEqualTo("ok");
        assertThat(TestServices.describe()).matches("postgres=\\w+\\(.+:\\d+\\) redis=\\w+\\(.+:\\d+\\)");
        System.out.println("TestServices: " + TestServices.describe());
    }
}
