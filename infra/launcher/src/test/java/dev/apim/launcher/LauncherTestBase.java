package dev.apim.launcher;

import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the launcher's end-to-end tests: the whole application on a random port over plain HTTP, a fresh
 * database on a real PostgreSQL and a real Redis (from {@link TestServices}). Every subclass must add no
 * context configuration of its own, so all of them share ONE cached Spring context; because of that, every
 * test uses unique names and contexts ({@link #unique}).
 */
@SpringBootTest(classes = ApimApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class LauncherTestBase {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "it-Admin-Secret-42";
    static final String PUBLISHER = "/api/am/publisher/v4";
    static final String EVENTS = "event_store.domain_event_entry";
    static final String API_CREATED = "dev.apim.domain.api.event.ApiCreated";
    /** The Key Manager's issuer and master key (the listener's port is random, so the issuer is set). */
    static final String KM_ISSUER = "https://km.apim.test:9443/oauth2/token";
    static final String KM_MASTER_KEY = "it-keymanager-master-key-0123456789";

    /** Computed once per JVM, so every subclass sees the same properties and the context stays cached. */
    static final String DB_URL = TestServices.freshDatabase("apim_it");
    static final String REDIS_URL = TestServices.redisUri();
    static final Path DATA_DIR = tempDir();

    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void apimProperties(DynamicPropertyRegistry registry) {
        registry.add("apim.db.url", () -> DB_URL);
        registry.add("apim.redis.url", () -> REDIS_URL);
        registry.add("apim.management.tls", () -> "false");
        registry.add("apim.management.port", () -> "0");
        registry.add("apim.admin.password", () -> ADMIN_PASSWORD);
        registry.add("apim.data-dir", DATA_DIR::toString);
        registry.add("apim.keymanager.issuer", () -> KM_ISSUER);
        registry.add("apim.keymanager.master-key", () -> KM_MASTER_KEY);
        registry.add("apim.gateway.http-port", () -> "0");
        registry.add("apim.gateway.https-port", () -> "-1");
        registry.add("apim.gateway.token-issuer", () -> KM_ISSUER);
        // a loaded test machine must not push the shared throttler to its local fallback (timing is not under test)
        registry.add("apim.gateway.throttle.redis-timeout", () -> "2s");
        // one broadcast stream per test database: test JVMs of other worktrees share the Redis server
        registry.add("apim.broadcast.key",
                () -> "apim:broadcast:{" + DB_URL.hashCode() + "-" + DATA_DIR.getFileName() + "}");
    }

    @LocalServerPort
    int port;

    /** Every management scope: a password grant narrows them to what the user's roles allow. */
    static final String ALL_SCOPES = "apim:api_view apim:api_create apim:api_publish apim:api_delete "
            + "apim:api_manage apim:document_create apim:document_manage apim:subscription_view "
            + "apim:subscription_block apim:subscription_manage apim:tier_view apim:subscribe apim:app_manage "
            + "apim:sub_manage apim:store_settings apim:admin apim:tier_manage apim:bl_view apim:bl_manage "
            + "apim:api_workflow_view apim:api_workflow_approve apim:admin_tier_view apim:admin_tier_manage "
            + "apim:app_update apim:api_key apim:policies_import_export apim:admin_operations";
    static final String TOKEN = "/oauth2/token";
    static final String DCR = "/client-registration/v0.17/register";

    /** The management client the tests register once (as admin) and use for password grants. */
    private static volatile ClientKeys testClient;
    private static volatile String adminToken;

    /** An OAuth2 client's id and clear secret. */
    record ClientKeys(String clientId, String clientSecret) {}

    /** Authenticated as the bootstrap admin, with a bearer token holding every scope. */
    WebTestClient client;
    /** No credentials at all. */
    WebTestClient anonymous;

    @BeforeEach
    void clients() {
        anonymous = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
        if (adminToken == null) {
            adminToken = passwordGrant(ADMIN, ADMIN_PASSWORD, ALL_SCOPES);
        }
        String token = adminToken;
        client = anonymous.mutate().defaultHeaders(h -> h.setBearerAuth(token)).build();
    }

    // ---- Key Manager ----

    /** Registers a management client through DCR as {@code user} (HTTP Basic), as WSO2's scripts do. */
    ClientKeys register(String user, String password, String clientName, String grantTypes) {
        JsonNode body = tree(anonymous.post().uri(DCR)
                .headers(h -> h.setBasicAuth(user, password))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("callbackUrl", "www.google.lk", "clientName", clientName, "owner", user,
                        "grantType", grantTypes, "saasApp", true)))
                .exchange().expectStatus().isOk().expectBody().returnResult());
        return new ClientKeys(text(body, "clientId"), text(body, "clientSecret"));
    }

    /** The bootstrap admin's bearer token (every scope). */
    static String adminToken() {
        return adminToken;
    }

    ClientKeys testClient() {
        if (testClient == null) {
            synchronized (LauncherTestBase.class) {
                if (testClient == null) {
                    testClient = register(ADMIN, ADMIN_PASSWORD, "rest_api_tests", "password refresh_token "
                            + "client_credentials");
                }
            }
        }
        return testClient;
    }

    /** POST /oauth2/token with the given form, the client authenticating with HTTP Basic. */
    WebTestClient.ResponseSpec tokenRequest(ClientKeys keys, Map<String, String> form) {
        var data = new org.springframework.util.LinkedMultiValueMap<String, String>();
        form.forEach(data::add);
        return anonymous.post().uri(TOKEN)
                .headers(h -> h.setBasicAuth(keys.clientId(), keys.clientSecret()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(org.springframework.web.reactive.function.BodyInserters.fromFormData(data))
                .exchange();
    }

    /** A password-grant access token for {@code user}, asking for {@code scopes}; asserts 200. */
    String passwordGrant(String user, String password, String scopes) {
        JsonNode body = tree(tokenRequest(testClient(), Map.of("grant_type", "password", "username", user,
                "password", password, "scope", scopes)).expectStatus().isOk().expectBody().returnResult());
        return text(body, "access_token");
    }

    /** A client calling the management APIs as {@code user} with a bearer token of every scope its roles allow. */
    WebTestClient as(String user, String password) {
        String token = passwordGrant(user, password, ALL_SCOPES);
        return anonymous.mutate().defaultHeaders(h -> h.setBearerAuth(token)).build();
    }

    /** The claims of a JWT, decoded without verification (the server verified it). */
    static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return JSON.readTree(new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    static JsonNode jwtHeader(String jwt) {
        return JSON.readTree(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]),
                StandardCharsets.UTF_8));
    }

    // ---- names ----

    /** A lower-case random suffix, safe in API names and contexts. */
    /** A builder for a second node in this JVM, with its own Netty resources ({@link OwnNettyResources}). */
    static SpringApplicationBuilder nodeBuilder() {
        return OwnNettyResources.apply(new SpringApplicationBuilder(ApimApplication.class));
    }

    /**
     * A backend on loopback (an ephemeral port) that answers every GET below {@code /<pathPrefix>/} with 200 and a
     * JSON body naming the path it received, so a test sees exactly what the gateway forwarded.
     */
    static DisposableServer echoBackend(String pathPrefix) {
        return HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/" + pathPrefix + "/**", (req, res) -> res.header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"path\":\"" + req.uri() + "\"}"))))
                .bindNow();
    }

    static String unique() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // ---- request bodies ----

    /** A minimal, publishable WSO2 API object. */
    static Map<String, Object> apiBody(String name, String context, String version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "Created by " + name);
        body.put("context", context);
        body.put("version", version);
        body.put("policies", List.of("Unlimited"));
        body.put("endpointConfig", Map.of("endpoint_type", "http",
                "production_endpoints", Map.of("url", "https://backend.example.com/" + name)));
        return body;
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    // ---- calls ----

    /** POST /apis as admin; asserts 201 and returns the response. */
    EntityExchangeResult<byte[]> createApi(Map<String, Object> body) {
        return client.post().uri(PUBLISHER + "/apis")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult();
    }

    static JsonNode tree(EntityExchangeResult<byte[]> result) {
        return tree(result.getResponseBody());
    }

    static JsonNode tree(byte[] body) {
        assertThat(body).as("response body").isNotNull();
        return JSON.readTree(new String(body, StandardCharsets.UTF_8));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    static String etag(EntityExchangeResult<?> result) {
        return result.getResponseHeaders().getFirst(HttpHeaders.ETAG);
    }

    /** Asserts WSO2's error body: code, message and description present (code as given when not null). */
    static JsonNode assertWso2Error(byte[] body, Long expectedCode) {
        JsonNode error = tree(body);
        assertThat(error.has("code")).as("'code' in %s", error).isTrue();
        assertThat(error.get("code").isNumber()).as("numeric 'code' in %s", error).isTrue();
        assertThat(text(error, "message")).as("'message' in %s", error).isNotBlank();
        assertThat(text(error, "description")).as("'description' in %s", error).isNotBlank();
        if (expectedCode != null) {
            assertThat(error.get("code").asLong()).as("code of %s", error).isEqualTo(expectedCode);
        }
        return error;
    }

    // ---- the event store, read directly ----

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(DB_URL);
    }

    static long eventCount() {
        return queryLong("SELECT count(*) FROM " + EVENTS);
    }

    static long queryLong(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Rows as column-name maps (values as JDBC returns them). */
    static List<Map<String, Object>> queryRows(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** One column of every row of a query on another database. */
    static List<Object> queryRowsIn(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<Object> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("apim-launcher-it");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
