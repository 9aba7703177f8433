package dev.apim.gateway.block;

import dev.apim.domain.common.IpAddresses;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A caller's address as bytes for block conditions and throttling conditions (4 bytes for IPv4, 16 for IPv6;
 * IPv4-mapped IPv6 addresses become IPv4), never resolved through DNS.
 */
public final class ClientAddresses {

    private ClientAddresses() {}

    /** The remote peer's address, or null when it is not an IP socket. */
    public static byte[] of(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return normalise(inet.getAddress());
        }
        return null;
    }

    /** The first entry of an {@code X-Forwarded-For} value, or null when it is not an address literal. */
    public static byte[] fromForwardedFor(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String first = (comma < 0 ? header : header.substring(0, comma)).trim();
        if (first.startsWith("[") && first.indexOf(']') > 0) {
            first = first.substring(1, first.indexOf(']'));
        }
        return IpAddresses.parse(first).map(ClientAddresses::unmap).orElse(null);
    }

    static byte[] normalise(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet6Address ? unmap(b) : b;
    }

    private static byte[] unmap(byte[] b) {
        if (b.length != 16) {
            return b;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return b;
            }
        }
        if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        return b;
    }

    /** Whether {@code ip} lies in [start, end] (same family). */
    public static boolean inRange(byte[] ip, byte[] start, byte[] end) {
        return ip.length == start.length && IpAddresses.compare(ip, start) >= 0 && IpAddresses.compare(ip, end) <= 0;
    }
}
