package dev.apim.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Testcontainers can be used. Testcontainers' own probe walks every client strategy and
 * logs a long error when none works; on machines with no trace of a Docker engine (no DOCKER_HOST, no
 * socket, no Testcontainers configuration, no docker-machine) it is not asked at all.
 */
final class Docker {

    private static final Logger LOG = LoggerFactory.getLogger(Docker.class);
    private static final long PROBE_TIMEOUT_SECONDS = 30;
    private static Boolean available;

    private Docker() {
    }

    static synchronized boolean available() {
        if (available == null) {
            available = probe();
        }
        return available;
    }

    private static boolean probe() {
        if ("false".equalsIgnoreCase(Settings.get(Settings.TESTCONTAINERS_PROPERTY, Settings.TESTCONTAINERS_ENV))) {
            LOG.info("Testcontainers disabled by {}", Settings.TESTCONTAINERS_PROPERTY);
            return false;
        }
        List<String> hints = hints();
        if (hints.isEmpty()) {
            LOG.debug("no Docker engine configured or reachable by socket: not asking Testcontainers");
            return false;
        }
        LOG.debug("Docker hints {}: asking Testcontainers", hints);
        CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(() -> {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                LOG.debug("Testcontainers' Docker probe failed", e);
                return false;
            }
        }, runnable -> {
            Thread thread = new Thread(runnable, "apim-docker-probe");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            return probe.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("Docker probe gave no answer within {} s: not using Testcontainers", PROBE_TIMEOUT_SECONDS);
            return false;
        }
    }

    /** Traces of a Docker engine, as Testcontainers' client strategies would look for them. */
    static List<String> hints() {
        List<String> hints = new ArrayList<>();
        for (String variable : List.of("DOCKER_HOST", "TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE", "TC_HOST")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                hints.add(variable);
            }
        }
        for (String property : List.of("docker.host", "tc.host")) {
            if (System.getProperty(property) != null) {
                hints.add(property);
            }
        }
        String home = System.getProperty("user.home", "");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                Path.of(home, ".testcontainers.properties"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".rd", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock")));
        String runtimeDirectory = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDirectory != null && !runtimeDirectory.isBlank()) {
            candidates.add(Path.of(runtimeDirectory, "docker.sock"));
            candidates.add(Path.of(runtimeDirectory, "podman", "podman.sock"));
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                hints.add(candidate.toString());
            }
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("windows")) {
            hints.add("windows named pipe");
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(java.io.File.pathSeparator)) {
                if (!directory.isBlank() && Files.isExecutable(Path.of(directory, "docker-machine"))) {
                    hints.add("docker-machine");
                    break;
                }
            }
        }
        return hints;
    }
}
