package dev.apim.domain.policy;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IPv4 and IPv6 address literals into their bytes without ever resolving a name (unlike
 * {@code InetAddress.getByName}, which falls back to DNS for anything that is not a literal).
 */
public final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
    private static final Pattern HEXTET = Pattern.compile("^[0-9A-Fa-f]{1,4}$");

    private IpLiteral() {}

    /** The 4 or 16 address bytes, or empty when the text is not an address literal. */
    public static Optional<byte[]> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
    }

    /** The address as an unsigned number, for ordering addresses of one family. */
    public static BigInteger value(byte[] address) {
        return new BigInteger(1, address);
    }

    private static Optional<byte[]> ipv4(String text) {
        var m = IPV4.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) octet;
        }
        return Optional.of(bytes);
    }

    private static Optional<byte[]> ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        java.util.List<Integer> front = new java.util.ArrayList<>();
        java.util.List<Integer> back = new java.util.ArrayList<>();
        if (!groups(head, front, gap < 0) || !groups(tail, back, true)) {
            return Optional.empty();
        }
        int total = front.size() + back.size();
        if (gap < 0 ? total != 8 : total > 7) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < front.size(); i++) {
            bytes[2 * i] = (byte) (front.get(i) >> 8);
            bytes[2 * i + 1] = (byte) (int) front.get(i);
        }
        for (int i = 0; i < back.size(); i++) {
            int at = 8 - back.size() + i;
            bytes[2 * at] = (byte) (back.get(i) >> 8);
            bytes[2 * at + 1] = (byte) (int) back.get(i);
        }
        return Optional.of(bytes);
    }

    /** Parses colon-separated hextets; the last part may be a dotted IPv4 when {@code ipv4Allowed}. */
    private static boolean groups(String part, java.util.List<Integer> out, boolean ipv4Allowed) {
        if (part.isEmpty()) {
            return true;
        }
        String[] pieces = part.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (i == pieces.length - 1 && ipv4Allowed && piece.indexOf('.') >= 0) {
                Optional<byte[]> v4 = ipv4(piece);
                if (v4.isEmpty()) {
                    return false;
                }
                byte[] b = v4.get();
                out.add(((b[0] & 0xff) << 8) | (b[1] & 0xff));
                out.add(((b[2] & 0xff) << 8) | (b[3] & 0xff));
                continue;
            }
            if (!HEXTET.matcher(piece).matches()) {
                return false;
            }
            out.add(Integer.parseInt(piece, 16));
        }
        return true;
    }
}
