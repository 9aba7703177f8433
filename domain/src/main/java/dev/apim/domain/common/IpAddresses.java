package dev.apim.domain.common;

import java.util.Arrays;
import java.util.Optional;

/**
 * Strict IPv4/IPv6 literal parsing and canonical formatting (RFC 5952 for IPv6), without name resolution:
 * anything that is not an address literal is refused, never looked up. IPv4 octets with leading zeros are
 * refused (they read as octal to some tools); IPv6 zone ids are refused.
 */
public final class IpAddresses {

    private IpAddresses() {}

    /** The address's bytes (4 or 16), or empty when the text is not a strict literal. */
    public static Optional<byte[]> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        return Optional.ofNullable(text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text));
    }

    /** The canonical text of a parsed address. */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** Unsigned comparison of two addresses of the same family. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !digits(p)) {
                return null;
            }
            int value = Integer.parseInt(p);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] parseV6(String text) {
        int[] groups = new int[8];
        int count = 0;
        String body = text;
        byte[] v4 = null;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.') >= 0) {
            v4 = parseV4(text.substring(lastColon + 1));
            if (v4 == null) {
                return null;
            }
            body = text.substring(0, lastColon + 1);
            if (body.endsWith(":") && !body.endsWith("::")) {
                body = body.substring(0, body.length() - 1);
            }
        }
        int maxGroups = v4 == null ? 8 : 6;
        int gap = body.indexOf("::");
        if (gap >= 0 && body.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap >= 0 ? body.substring(0, gap) : body;
        String tail = gap >= 0 ? body.substring(gap + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int explicit = headGroups.length + tailGroups.length;
        if (gap < 0 ? explicit != maxGroups : explicit >= maxGroups) {
            return null;
        }
        for (int g : headGroups) {
            groups[count++] = g;
        }
        count = maxGroups - tailGroups.length;
        for (int g : tailGroups) {
            groups[count++] = g;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < maxGroups; i++) {
            bytes[2 * i] = (byte) (groups[i] >> 8);
            bytes[2 * i + 1] = (byte) groups[i];
        }
        if (v4 != null) {
            System.arraycopy(v4, 0, bytes, 12, 4);
        }
        return bytes;
    }

    /** Colon-separated hex groups; empty text is no groups; null when malformed. */
    private static int[] groups(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int[] result = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            for (int c = 0; c < p.length(); c++) {
                if (Character.digit(p.charAt(c), 16) < 0 || p.charAt(c) > 'f') {
                    return null;
                }
            }
            result[i] = Integer.parseInt(p, 16);
        }
        return result;
    }

    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
