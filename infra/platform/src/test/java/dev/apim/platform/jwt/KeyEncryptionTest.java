package dev.apim.platform.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyEncryptionTest {

    static final String SECRET = "correct-horse-battery-staple";
    final KeyEncryption enc = new KeyEncryption(SECRET);
    final byte[] pkcs8 = SigningKey.generateKeyPair().getPrivate().getEncoded();

    @Test
    void roundTripRestoresTheExactBytes() {
        String sealed = enc.encrypt(pkcs8, "kid-1");
        assertThat(sealed).startsWith("v1$210000$").doesNotContain(Base64.getEncoder().encodeToString(pkcs8));
        assertThat(new KeyEncryption(SECRET).decrypt(sealed, "kid-1")).isEqualTo(pkcs8);
    }

    @Test
    void sameInputEncryptsDifferentlyEachTime() {
        assertThat(enc.encrypt(pkcs8)).isNotEqualTo(enc.encrypt(pkcs8));
    }

    @Test
    void wrongMasterSecretFailsClearly() {
        String sealed = enc.encrypt(pkcs8);
        assertThatThrownBy(() -> new KeyEncryption("wrong-horse-battery-staple").decrypt(sealed))
                .isInstanceOf(KeyEncryptionException.class).hasMessageContaining("wrong master secret");
    }

    @Test
    void tamperedCiphertextFailsClearly() {
        String sealed = enc.encrypt(pkcs8);
        int cut = sealed.lastIndexOf('$') + 1;
        byte[] ct = Base64.getDecoder().decode(sealed.substring(cut));
        ct[ct.length / 2] ^= 1;
        String tampered = sealed.substring(0, cut) + Base64.getEncoder().withoutPadding().encodeToString(ct);
        assertThatThrownBy(() -> enc.decrypt(tampered)).isInstanceOf(KeyEncryptionException.class);
    }

    @Test
    void ciphertextBoundToOtherAssociatedDataFails() {
        String sealed = enc.encrypt(pkcs8, "kid-1");
        assertThatThrownBy(() -> enc.decrypt(sealed, "kid-2")).isInstanceOf(KeyEncryptionException.class);
    }

    @Test
    void malformedInputFailsClearly() {
        assertThatThrownBy(() -> enc.decrypt("garbage")).isInstanceOf(KeyEncryptionException.class);
        assertThatThrownBy(() -> enc.decrypt("v9$210000$a$b$c")).isInstanceOf(KeyEncryptionException.class);
        String weakened = enc.encrypt(pkcs8).replace("$210000$", "$1000$");
        assertThatThrownBy(() -> enc.decrypt(weakened)).isInstanceOf(KeyEncryptionException.class);
    }

    @Test
    void shortMasterSecretIsRefused() {
        assertThatThrownBy(() -> new KeyEncryption("fifteen-chars!!")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new KeyEncryption("sixteen-chars!!!")).isNotNull();
    }
}
