package dev.apim.platform.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    @TempDir
    Path directory;

    @Test
    void generatesAServerCertificateWithTheSansAndReusesIt() throws Exception {
        Path file = directory.resolve("nested/dir/tls.p12");
        char[] password = "changeit".toCharArray();

        KeyStoreFile created = SelfSignedCertificate.ensure(file, password, "apim.local",
                List.of("localhost", "apim.local", "127.0.0.1", "::1"));
        assertThat(created.path()).isEqualTo(file);
        assertThat(created.alias()).isEqualTo("apim");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        KeyStore keyStore = created.load();
        assertThat(keyStore.getKey("apim", password)).isInstanceOf(PrivateKey.class);
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("apim");
        certificate.checkValidity();
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSigAlgName()).isEqualToIgnoringCase("SHA256withRSA");
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=apim.local");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(((java.security.interfaces.RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength())
                .isEqualTo(2048);
        long days = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant())
                .toDays();
        assertThat(days).isBetween(825L, 826L);
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        boolean[] keyUsage = certificate.getKeyUsage();
        assertThat(keyUsage[0]).as("digitalSignature").isTrue();
        assertThat(keyUsage[2]).as("keyEncipherment").isTrue();
        assertThat(keyUsage[5]).as("keyCertSign").isFalse();
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (List<?> san : certificate.getSubjectAlternativeNames()) {
            int type = (Integer) san.get(0);
            if (type == 2) {
                dns.add((String) san.get(1));
            } else if (type == 7) {
                ips.add((String) san.get(1));
            }
        }
        assertThat(dns).containsExactly("localhost", "apim.local");
        assertThat(ips).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");

        byte[] before = Files.readAllBytes(file);
        KeyStoreFile reused = SelfSignedCertificate.ensure(file, password, "other.name", List.of("other.name"));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        X509Certificate again = (X509Certificate) reused.load().getCertificate("apim");
        assertThat(again.getSerialNumber()).isEqualTo(certificate.getSerialNumber());
    }

    @Test
    void replacesAFileThatDoesNotLoadAndKeepsItAside() throws Exception {
        Path file = directory.resolve("tls.p12");
        Files.writeString(file, "not a key store");
        KeyStoreFile created = SelfSignedCertificate.ensure(file, "secret".toCharArray(), "localhost", List.of());
        X509Certificate certificate = (X509Certificate) created.load().getCertificate("apim");
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
        try (var siblings = Files.list(directory)) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("tls.p12.invalid-"))
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void regeneratesWhenThePasswordDoesNotOpenTheFile() throws Exception {
        Path file = directory.resolve("tls.p12");
        X509Certificate first = (X509Certificate) SelfSignedCertificate
                .ensure(file, "one".toCharArray(), "localhost", List.of("localhost")).load().getCertificate("apim");
        KeyStoreFile second = SelfSignedCertificate.ensure(file, "two".toCharArray(), "localhost", List.of("localhost"));
        X509Certificate regenerated = (X509Certificate) second.load().getCertificate("apim");
        assertThat(regenerated.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    }
}
