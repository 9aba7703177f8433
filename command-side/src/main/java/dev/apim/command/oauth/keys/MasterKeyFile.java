package dev.apim.command.oauth.keys;

import dev.apim.platform.jwt.KeyEncryption;
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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The master key of a node whose operator configured none: 32 random bytes (base64url) generated once into
 * {@code <apim.data-dir>/keymanager/master.key}, readable by the owner only, and read back on later starts.
 * Good enough for one node on a laptop; production sets {@code apim.keymanager.master-key} on every node.
 */
final class MasterKeyFile {

    static final String FILE = "master.key";
    private static final Logger log = LoggerFactory.getLogger(MasterKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private MasterKeyFile() {}

    /** The configured master key, or the one in {@code <dataDir>/keymanager/master.key} (created when missing). */
    static String resolve(String configured, Path dataDir) {
        if (configured != null) {
            return configured;
        }
        Path file = dataDir.resolve("keymanager").resolve(FILE).toAbsolutePath();
        String key = readOrCreate(file);
        log.warn("apim.keymanager.master-key is not configured: signing keys are sealed with the generated key in {}."
                + " In production configure apim.keymanager.master-key (APIM_KEYMANAGER_MASTER_KEY), the same on"
                + " every Key Manager node, and keep it secret.", file);
        return key;
    }

    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.length() < KeyEncryption.MIN_SECRET_LENGTH) {
                throw new IllegalStateException("The master key file " + file + " holds fewer than "
                        + KeyEncryption.MIN_SECRET_LENGTH + " characters; restore it or configure apim.keymanager.master-key");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // another process created it first; use theirs
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        if (posix) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
    }
}
