package dev.apim.launcher;

import dev.apim.platform.jwt.JwksDocument;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Key Manager's public documents, without credentials: the JWKS holds exactly the stored published keys
 * (public parts only) and both metadata documents point at endpoints on the issuer's origin.
 */
class KeyManagerDiscoveryTest extends LauncherTestBase {

    private static final String ORIGIN = "https://km.apim.test:9443";

    @Test
    void the_jwks_publishes_the_public_parts_of_the_stored_keys_and_may_be_cached_briefly() {
        EntityExchangeResult<byte[]> result = anonymous.get().uri("/oauth2/jwks").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult();

        String cache = result.getResponseHeaders().getFirst(HttpHeaders.CACHE_CONTROL);
        assertThat(cache).contains("public").containsPattern("max-age=\\d+");
        String body = new String(result.getResponseBody(), StandardCharsets.UTF_8);
        JsonNode jwks = tree(result);
        List<String> kids = new ArrayList<>();
        for (JsonNode key : jwks.get("keys")) {
            kids.add(text(key, "kid"));
            assertThat(text(key, "kty")).isEqualTo("RSA");
            assertThat(text(key, "use")).isEqualTo("sig");
            assertThat(text(key, "alg")).isEqualTo("RS256");
            for (String privateMember : List.of("d", "p", "q", "dp", "dq", "qi")) {
                assertThat(key.has(privateMember)).as("private member %s", privateMember).isFalse();
            }
        }
        List<Map<String, Object>> stored = queryRows(
                "SELECT kid, state, public_key FROM keymanager.signing_key WHERE state <> 'RETIRED'");
        assertThat(stored).extracting(r -> r.get("state")).contains("ACTIVE", "NEXT");
        assertThat(kids).containsExactlyInAnyOrderElementsOf(stored.stream().map(r -> (String) r.get("kid")).toList());
        Map<String, RSAPublicKey> parsed = JwksDocument.parse(body);
        for (Map<String, Object> row : stored) {
            assertThat(Base64.getEncoder().encodeToString(parsed.get((String) row.get("kid")).getEncoded()))
                    .isEqualTo(row.get("public_key"));
        }
    }

    @Test
    void openid_discovery_names_the_issuer_and_the_endpoints_on_its_origin() {
        JsonNode doc = metadata("/oauth2/token/.well-known/openid-configuration");

        assertEndpoints(doc);
        assertThat(strings(doc, "subject_types_supported")).containsExactly("public");
        assertThat(strings(doc, "id_token_signing_alg_values_supported")).containsExactly("RS256");
    }

    @Test
    void rfc8414_metadata_names_the_same_endpoints() {
        JsonNode doc = metadata("/.well-known/oauth-authorization-server");

        assertEndpoints(doc);
    }

    @Test
    void writing_to_the_jwks_is_refused_with_wso2s_error_body() {
        byte[] body = anonymous.post().uri("/oauth2/jwks").exchange().expectStatus().isEqualTo(405)
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(body, null);
    }

    private JsonNode metadata(String path) {
        return tree(anonymous.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, v -> assertThat(v).contains("public"))
                .expectBody().returnResult());
    }

    private static void assertEndpoints(JsonNode doc) {
        assertThat(text(doc, "issuer")).isEqualTo(KM_ISSUER);
        assertThat(text(doc, "token_endpoint")).isEqualTo(ORIGIN + "/oauth2/token");
        assertThat(text(doc, "jwks_uri")).isEqualTo(ORIGIN + "/oauth2/jwks");
        assertThat(text(doc, "revocation_endpoint")).isEqualTo(ORIGIN + "/oauth2/revoke");
        assertThat(text(doc, "introspection_endpoint")).isEqualTo(ORIGIN + "/oauth2/introspect");
        assertThat(text(doc, "registration_endpoint")).isEqualTo(ORIGIN + "/client-registration/v0.17/register");
        assertThat(strings(doc, "grant_types_supported"))
                .containsExactlyInAnyOrder("client_credentials", "password", "refresh_token");
        assertThat(strings(doc, "token_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post");
        assertThat(doc.get("response_types_supported").isArray()).isTrue();
    }

    private static List<String> strings(JsonNode doc, String field) {
        List<String> values = new ArrayList<>();
        doc.get(field).forEach(v -> values.add(v.asString()));
        return values;
    }
}
