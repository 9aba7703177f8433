package dev.apim.platform.jwt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The RFC 7517 JWK Set of published signing keys ({@code kty RSA, kid, use sig, alg RS256, n, e}). */
public final class JwksDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, String>> keys;

    private JwksDocument(List<Map<String, String>> keys) {
        this.keys = keys;
    }

    /** The JWKS of the given keys (pass {@link SigningKeyRing#publishedKeys()}); RETIRED keys are left out. */
    public static JwksDocument of(Collection<SigningKey> keys) {
        return new JwksDocument(keys.stream().filter(SigningKey::published)
                .map(k -> jwk(k.kid(), k.publicKey())).toList());
    }

    private static Map<String, String> jwk(String kid, RSAPublicKey key) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kty", "RSA");
        m.put("kid", kid);
        m.put("use", "sig");
        m.put("alg", "RS256");
        m.put("n", base64Url(key.getModulus()));
        m.put("e", base64Url(key.getPublicExponent()));
        return m;
    }

    /** The JWK objects, in order. */
    public List<Map<String, String>> keys() {
        return keys;
    }

    /** The document as a map, for frameworks that serialise it themselves. */
    public Map<String, Object> toMap() {
        return Map.of("keys", keys);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a JWKS (e.g. fetched by the gateway) into kid → RSA public key. Keys that are not RSA signature keys
     * for RS256 (other {@code kty}, {@code use} other than {@code sig}, {@code alg} other than RS256) or that lack
     * a {@code kid} are skipped.
     *
     * @throws IllegalArgumentException when the document is not a JWKS
     */
    public static Map<String, RSAPublicKey> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (root == null || !root.path("keys").isArray()) {
            throw new IllegalArgumentException("not a JWK Set: no 'keys' array");
        }
        Map<String, RSAPublicKey> out = new LinkedHashMap<>();
        for (JsonNode k : root.get("keys")) {
            if (!"RSA".equals(k.path("kty").asText()) || !k.path("kid").isTextual()
                    || (k.has("use") && !"sig".equals(k.path("use").asText()))
                    || (k.has("alg") && !"RS256".equals(k.path("alg").asText()))
                    || !k.path("n").isTextual() || !k.path("e").isTextual()) {
                continue;
            }
            try {
                BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(k.get("n").asText()));
                BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(k.get("e").asText()));
                RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(n, e));
                out.put(k.get("kid").asText(), key);
            } catch (IllegalArgumentException | GeneralSecurityException ex) {
                throw new IllegalArgumentException("invalid RSA key " + k.get("kid").asText(), ex);
            }
        }
        return out;
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] unsigned = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, unsigned, 0, unsigned.length);
            bytes = unsigned;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
