package dev.apim.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the local multi-process servers for tests (Redis cluster and Sentinel, PostgreSQL replica) share. */
final class LocalProcesses {

    private LocalProcesses() {
    }

    /** The first port from {@code from} (below 23999) that nothing listens on at loopback. */
    static int freePort(int from) {
        for (int port = from; port < 23999; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException ignored) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port from " + from);
    }

    /** Asks every process to stop (in the given order), then kills those still running after 5 s. */
    static void stopAll(List<Process> processes) {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
