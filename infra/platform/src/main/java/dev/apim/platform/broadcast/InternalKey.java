package dev.apim.platform.broadcast;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The shared key that guards the internal data endpoints ({@code /internal/data/v1/**}): gateways send it in
 * {@link #HEADER}. Configured with {@code apim.internal.key} (at least 16 characters, the same on the Traffic Manager
 * and every gateway); when unset, a random key is generated once into {@code <apim.data-dir>/internal/internal.key}
 * (owner-only), which is enough for an all-in-one node or nodes sharing the data directory.
 */
public final class InternalKey {

    public static final String HEADER = "X-APIM-Internal-Key";
    public static final int MIN_LENGTH = 16;
    private static final Logger log = LoggerFactory.getLogger(InternalKey.class);

    private final byte[] key;

    private InternalKey(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    public String value() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** Constant-time comparison with a presented key. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The configured key, or the one in {@code <dataDir>/internal/internal.key} (created when missing). */
    public static InternalKey resolve(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            if (configured.strip().length() < MIN_LENGTH) {
                throw new IllegalArgumentException("apim.internal.key must hold at least " + MIN_LENGTH + " characters");
            }
            return new InternalKey(configured.strip());
        }
        Path file = dataDir.resolve("internal").resolve("internal.key").toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.length() < MIN_LENGTH) {
                throw new IllegalStateException("The internal key file " + file + " holds fewer than " + MIN_LENGTH
                        + " characters; delete it or configure apim.internal.key");
            }
            log.info("apim.internal.key is not configured: the internal data endpoints use the key in {}", file);
            return new InternalKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the internal key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Files.createDirectories(file.getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // created concurrently by another node on this data directory
        }
        Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    }
}
