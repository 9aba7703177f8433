package dev.apim.command.oauth.keys;

import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client or gateway needs to find and trust the Key Manager, without credentials: the JWK Set of the
 * published signing keys (RFC 7517, public parts only) and the server metadata, both as OpenID Connect discovery
 * (WSO2's path under the issuer) and as RFC 8414. Every endpoint URL is built on the issuer's origin.
 */
@RestController
@ConditionalOnRole(Roles.KEYMANAGER)
public class KeyManagerMetadataController {

    /**
     * How long a verifier may cache the JWKS. A new key is published {@code pre-publish} (default a day) before it
     * signs and a retired one stays until its last token expired, so a few minutes are always safe.
     */
    static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);
    static final Duration METADATA_MAX_AGE = Duration.ofHours(1);

    static final String TOKEN_PATH = "/oauth2/token";
    static final String JWKS_PATH = "/oauth2/jwks";
    static final String REVOKE_PATH = "/oauth2/revoke";
    static final String INTROSPECT_PATH = "/oauth2/introspect";
    static final String REGISTER_PATH = "/client-registration/v0.17/register";
    static final List<String> GRANT_TYPES = List.of("client_credentials", "password", "refresh_token");
    static final List<String> CLIENT_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post");

    private final SigningKeys keys;

    public KeyManagerMetadataController(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping(path = JWKS_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(JWKS_MAX_AGE).cachePublic())
                .body(keys.jwks().toMap());
    }

    @GetMapping(path = TOKEN_PATH + "/.well-known/openid-configuration", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> openIdConfiguration() {
        Map<String, Object> body = metadata();
        body.put("subject_types_supported", List.of("public"));
        body.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return cached(body);
    }

    @GetMapping(path = "/.well-known/oauth-authorization-server", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> authorizationServerMetadata() {
        return cached(metadata());
    }

    private Map<String, Object> metadata() {
        String origin = KeyManagerProperties.origin(keys.issuer());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", keys.issuer());
        m.put("token_endpoint", origin + TOKEN_PATH);
        m.put("jwks_uri", origin + JWKS_PATH);
        m.put("revocation_endpoint", origin + REVOKE_PATH);
        m.put("introspection_endpoint", origin + INTROSPECT_PATH);
        m.put("registration_endpoint", origin + REGISTER_PATH);
        m.put("grant_types_supported", GRANT_TYPES);
        m.put("token_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        m.put("revocation_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        m.put("introspection_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256"));
        // No authorization endpoint (the grants are client_credentials, password and refresh_token only), so no
        // response_type is supported; the member is required, hence an empty list rather than a false claim.
        m.put("response_types_supported", List.of());
        return m;
    }

    private static ResponseEntity<Map<String, Object>> cached(Map<String, Object> body) {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(METADATA_MAX_AGE).cachePublic()).body(body);
    }
}
