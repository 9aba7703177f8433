package dev.apim.platform.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;

/**
 * A PKCS12 key store on disk holding one private key and its certificate chain under {@code alias}.
 * The password is the caller's array (not copied): do not clear it while the record is in use.
 */
public record KeyStoreFile(Path path, char[] password, String alias) {

    public static final String TYPE = "PKCS12";

    public KeyStoreFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(alias, "alias");
    }

    /** Loads the key store from {@link #path()}. */
    public KeyStore load() {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore keyStore = KeyStore.getInstance(TYPE);
            keyStore.load(in, password);
            return keyStore;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key store " + path, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load key store " + path, e);
        }
    }

    @Override
    public String toString() {
        return "KeyStoreFile[path=" + path + ", alias=" + alias + "]";
    }
}
