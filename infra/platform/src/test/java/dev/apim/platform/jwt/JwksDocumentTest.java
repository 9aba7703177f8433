package dev.apim.platform.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JwksDocumentTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    SigningKeyRing ringWithRetiredKey() {
        SigningKeyRing ring = new SigningKeyRing(Duration.ofDays(30), Duration.ofDays(1), Duration.ofHours(1));
        ring.ensureKeys(T0);
        ring.rotate(T0.plus(Duration.ofDays(30)));
        ring.rotate(T0.plus(Duration.ofDays(60)));
        return ring;
    }

    @Test
    void containsExactlyThePublishedKeysWithCorrectModulusAndExponent() {
        SigningKeyRing ring = ringWithRetiredKey();
        assertThat(ring.keys()).anyMatch(k -> k.state() == SigningKey.State.RETIRED);
        String json = JwksDocument.of(ring.keys()).toJson();

        JwkSet set = Jwks.setParser().build().parse(json);
        Map<String, Jwk<?>> byKid = set.getKeys().stream().collect(Collectors.toMap(Jwk::getId, j -> j));
        assertThat(byKid.keySet()).containsExactlyInAnyOrderElementsOf(
                ring.publishedKeys().stream().map(SigningKey::kid).toList());
        for (SigningKey k : ring.publishedKeys()) {
            Jwk<?> jwk = byKid.get(k.kid());
            assertThat(jwk.getType()).isEqualTo("RSA");
            assertThat(jwk.getAlgorithm()).isEqualTo("RS256");
            assertThat(jwk.get("use")).isEqualTo("sig");
            RSAPublicKey parsed = (RSAPublicKey) jwk.toKey();
            assertThat(parsed.getModulus()).isEqualTo(k.publicKey().getModulus());
            assertThat(parsed.getPublicExponent()).isEqualTo(k.publicKey().getPublicExponent());
        }
        assertThat(json).doesNotContain("\"d\"", "\"p\"", "\"q\"");
    }

    @Test
    void parseReadsBackTheSameKeysForTheGateway() {
        SigningKeyRing ring = ringWithRetiredKey();
        Map<String, RSAPublicKey> parsed = JwksDocument.parse(JwksDocument.of(ring.publishedKeys()).toJson());
        assertThat(parsed).hasSize(ring.publishedKeys().size());
        for (SigningKey k : ring.publishedKeys()) {
            assertThat(parsed.get(k.kid()).getModulus()).isEqualTo(k.publicKey().getModulus());
            assertThat(parsed.get(k.kid()).getPublicExponent()).isEqualTo(k.publicKey().getPublicExponent());
        }
    }

    @Test
    void parseSkipsKeysThatAreNotRs256SignatureKeys() {
        String json = "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"enc\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
        assertThat(JwksDocument.parse(json)).isEmpty();
    }
}
