package dev.apim.command.oauth.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code apim.keymanager.*} is checked at start, the default issuer and the generated master key file. */
class KeyManagerSettingsTest {

    private static KeyManagerProperties props(String issuer, String masterKey, Duration rotation, Duration prePublish,
                                              Duration maxLifetime) {
        return new KeyManagerProperties(issuer, masterKey, rotation, prePublish, maxLifetime, Duration.ofSeconds(30));
    }

    @Test
    void the_defaults_are_accepted() {
        KeyManagerProperties p = props("", null, Duration.ofDays(30), Duration.ofDays(1), Duration.ofDays(1));
        assertThat(p.issuer()).isNull();
        assertThat(p.masterKey()).isNull();
    }

    @Test
    void pre_publication_and_token_lifetime_must_fit_in_the_rotation_period() {
        assertThatThrownBy(() -> props(null, null, Duration.ofDays(1), Duration.ofDays(2), Duration.ofHours(1)))
                .hasMessageContaining("apim.keymanager.pre-publish").hasMessageContaining("rotation-period");
        assertThatThrownBy(() -> props(null, null, Duration.ofDays(1), Duration.ofHours(1), Duration.ofDays(2)))
                .hasMessageContaining("apim.keymanager.max-token-lifetime");
        assertThatThrownBy(() -> props(null, null, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
                .hasMessageContaining("apim.keymanager.rotation-period must be positive");
        assertThatThrownBy(() -> props(null, null, Duration.ofDays(1), Duration.ofHours(-1), Duration.ofHours(1)))
                .hasMessageContaining("apim.keymanager.pre-publish");
    }

    @Test
    void a_short_master_key_is_refused_without_echoing_it() {
        assertThatThrownBy(() -> props(null, "short-secret", Duration.ofDays(30), Duration.ofDays(1), Duration.ofDays(1)))
                .hasMessageContaining("apim.keymanager.master-key must have at least 16")
                .hasMessageNotContaining("short-secret");
        assertThat(props(null, "a-long-enough-master-key", Duration.ofDays(30), Duration.ofDays(1), Duration.ofDays(1)))
                .asString().doesNotContain("a-long-enough-master-key");
    }

    @Test
    void the_issuer_must_be_an_absolute_http_url_without_query_or_fragment() {
        for (String bad : new String[] {"km.example.com/oauth2/token", "ftp://km.example.com/oauth2/token",
                "https://km.example.com/oauth2/token?x=1", "https://km.example.com/oauth2/token#f",
                "https://user@km.example.com/oauth2/token", "https:///oauth2/token", "not a url"}) {
            assertThatThrownBy(() -> props(bad, null, Duration.ofDays(30), Duration.ofDays(1), Duration.ofDays(1)))
                    .as(bad).hasMessageContaining("apim.keymanager.issuer");
        }
        assertThat(KeyManagerProperties.origin("https://KM.example.com:8443/oauth2/token"))
                .isEqualTo("https://KM.example.com:8443");
    }

    @Test
    void the_default_issuer_is_the_token_endpoint_of_the_management_listener() {
        assertThat(KeyManagerKeysConfiguration.defaultIssuer(new MockEnvironment()))
                .isEqualTo("https://localhost:9443/oauth2/token");
        assertThat(KeyManagerKeysConfiguration.defaultIssuer(new MockEnvironment()
                .withProperty("apim.management.tls", "false").withProperty("apim.management.port", "9763")
                .withProperty("apim.management.hostnames", "km.example.com,127.0.0.1")))
                .isEqualTo("http://km.example.com:9763/oauth2/token");
        assertThatThrownBy(() -> KeyManagerKeysConfiguration.defaultIssuer(new MockEnvironment()
                .withProperty("apim.management.port", "0")))
                .hasMessageContaining("apim.keymanager.issuer must be configured");
    }

    @Test
    void without_a_configured_master_key_one_is_generated_once_readable_by_the_owner_only(@TempDir Path dataDir)
            throws Exception {
        String first = MasterKeyFile.resolve(null, dataDir);
        Path file = dataDir.resolve("keymanager").resolve(MasterKeyFile.FILE);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(MasterKeyFile.resolve(null, dataDir)).isEqualTo(first);
        assertThat(MasterKeyFile.resolve("configured-master-key-123", dataDir)).isEqualTo("configured-master-key-123");
        assertThat(MasterKeyFile.resolve(null, Files.createTempDirectory(dataDir, "other"))).isNotEqualTo(first);
    }
}
