package dev.apim.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after a previous run that was killed: a server process that outlived its JVM, or a pid
 * file naming a process that is gone (or a pid reused by an unrelated process).
 */
final class OrphanProcess {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanProcess.class);

    private OrphanProcess() {
    }

    /**
     * Fails when another live process (or this JVM) holds {@code lockFile} (in a data directory):
     * the directory is then in use and nothing in it may be touched. The lock is released again;
     * the server start that follows takes it for good.
     */
    static void requireUnlocked(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return; // nobody has locked this directory yet; creating the file here could upset initdb
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("data directory " + lockFile.getParent()
                        + " is in use by a running server (lock " + lockFile.getFileName() + " is held)");
            }
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check lock " + lockFile, e);
        }
    }

    /**
     * Reads the pid on the first line of {@code pidFile}. When that process is alive and
     * {@code isOurServer} accepts it, it is an orphan of a killed run: it is stopped with
     * {@code stopper} (which must wait), or terminated. Otherwise a pid file naming a dead or foreign
     * process is deleted.
     */
    static void clear(Path pidFile, Predicate<ProcessHandle> isOurServer, Predicate<ProcessHandle> stopper) {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Optional<ProcessHandle> process = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isPresent() && process.get().pid() != ProcessHandle.current().pid()
                && isOurServer.test(process.get())) {
            ProcessHandle orphan = process.get();
            LOG.warn("{} names live process {} ({}) left by a previous run: stopping it", pidFile, orphan.pid(),
                    orphan.info().command().orElse("?"));
            if (!stopper.test(orphan)) {
                orphan.destroy();
                if (!waitForExit(orphan, Duration.ofSeconds(30))) {
                    LOG.warn("process {} ignored SIGTERM: killing it", orphan.pid());
                    orphan.destroyForcibly();
                    waitForExit(orphan, Duration.ofSeconds(10));
                }
            }
        }
        if (Files.exists(pidFile) && (process.isEmpty() || !process.get().isAlive()
                || !isOurServer.test(process.get()))) {
            try {
                Files.deleteIfExists(pidFile);
                LOG.info("removed stale pid file {}", pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove stale pid file " + pidFile, e);
            }
        }
    }

    static boolean commandNamed(ProcessHandle process, String prefix) {
        return process.info().command()
                .map(command -> Path.of(command).getFileName().toString().startsWith(prefix))
                .orElse(false);
    }

    static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (Exception e) {
            return !process.isAlive();
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        List<String> lines = lines(pidFile);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
