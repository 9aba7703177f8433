package dev.apim.platform.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates (once) a self-signed TLS server certificate in a PKCS12 file, for the all-in-one default
 * and for tests. Production deployments mount their own key store instead.
 */
public final class SelfSignedCertificate {

    public static final String ALIAS = "apim";
    public static final Duration VALIDITY = Duration.ofDays(825);
    public static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    public static final int KEY_SIZE = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificate() {
    }

    /**
     * Returns the key store at {@code pkcs12File} when it loads with {@code password} and holds an
     * unexpired key entry under {@value #ALIAS}. Otherwise generates an RSA 2048 key and a
     * self-signed X.509 v3 certificate (SHA256withRSA, valid 825 days, CN={@code commonName}, the
     * given subject alternative names as IP addresses when they are IP literals and DNS names
     * otherwise; the common name when the list is empty) and writes it there with permissions 600
     * where the file system supports them, creating parent directories. A file that existed but could
     * not be used is kept beside it as {@code <name>.invalid-<epoch millis>}.
     */
    public static KeyStoreFile ensure(Path pkcs12File, char[] password, String commonName,
            List<String> subjectAltNames) {
        Objects.requireNonNull(pkcs12File, "pkcs12File");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(subjectAltNames, "subjectAltNames");
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("commonName is blank");
        }
        KeyStoreFile result = new KeyStoreFile(pkcs12File, password, ALIAS);
        synchronized (SelfSignedCertificate.class) {
            if (Files.exists(pkcs12File)) {
                String problem = usable(pkcs12File, password);
                if (problem == null) {
                    return result;
                }
                Path aside = pkcs12File.resolveSibling(pkcs12File.getFileName() + ".invalid-" + System.currentTimeMillis());
                LOG.warn("key store {} is not usable ({}): moving it to {} and generating a new self-signed certificate",
                        pkcs12File, problem, aside);
                try {
                    Files.move(pkcs12File, aside);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot move unusable key store " + pkcs12File, e);
                }
            }
            write(pkcs12File, password, generate(commonName, subjectAltNames));
            LOG.info("generated self-signed certificate CN={} SAN={} in {}", commonName, subjectAltNames, pkcs12File);
            return result;
        }
    }

    /** Null when the file loads with the password and holds an unexpired key entry under ALIAS. */
    private static String usable(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance(KeyStoreFile.TYPE);
            keyStore.load(in, password);
            if (!keyStore.isKeyEntry(ALIAS)) {
                return "no key entry " + ALIAS;
            }
            Certificate certificate = keyStore.getCertificate(ALIAS);
            if (certificate instanceof X509Certificate x509) {
                x509.checkValidity();
            }
            keyStore.getKey(ALIAS, password);
            return null;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return e.toString();
        }
    }

    private record Generated(KeyPair keyPair, X509Certificate certificate) {
    }

    private static Generated generate(String commonName, List<String> subjectAltNames) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_SIZE, RANDOM);
            KeyPair keyPair = generator.generateKeyPair();

            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(Duration.ofHours(1))); // tolerate clock skew
            Date notAfter = Date.from(now.plus(VALIDITY));
            BigInteger serial = new BigInteger(159, RANDOM).add(BigInteger.ONE);

            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial, notBefore, notAfter, subject, keyPair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(commonName, subjectAltNames));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(keyPair.getPublic()));

            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(keyPair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            certificate.verify(keyPair.getPublic());
            return new Generated(keyPair, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate for " + commonName, e);
        }
    }

    static GeneralNames subjectAltNames(String commonName, List<String> requested) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : requested) {
            if (name != null && !name.isBlank()) {
                names.add(name.trim());
            }
        }
        if (names.isEmpty()) {
            names.add(commonName);
        }
        List<GeneralName> generalNames = new ArrayList<>();
        for (String name : names) {
            String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
            if (IPAddress.isValid(literal)) {
                generalNames.add(new GeneralName(GeneralName.iPAddress, literal));
            } else {
                generalNames.add(new GeneralName(GeneralName.dNSName, name));
            }
        }
        return new GeneralNames(generalNames.toArray(GeneralName[]::new));
    }

    private static void write(Path file, char[] password, Generated generated) {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            KeyStore keyStore = KeyStore.getInstance(KeyStoreFile.TYPE);
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, generated.keyPair().getPrivate(), password,
                    new Certificate[] {generated.certificate()});
            temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", ownerOnly(directory));
            try (OutputStream out = Files.newOutputStream(temporary)) {
                keyStore.store(out, password);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key store " + target, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write key store " + target, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) {
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }
}
