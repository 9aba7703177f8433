package dev.apim.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks a TCP port that is free on the loopback interface at the time of the call. */
final class FreePort {

    private FreePort() {
    }

    /**
     * Binds an ephemeral port on 127.0.0.1, closes the socket and returns the port. The port can be
     * taken by someone else before the caller binds it: callers retry once with a new port.
     */
    static int pick() {
        IOException first = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(loopback(), 0), 1);
                return socket.getLocalPort();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        throw new UncheckedIOException("no free port on 127.0.0.1", first);
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
