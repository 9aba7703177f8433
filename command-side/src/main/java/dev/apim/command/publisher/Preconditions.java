package dev.apim.command.publisher;

import dev.apim.platform.web.ApiException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code If-Match}: the aggregate version a write expects (our ETags are {@code "<version>"}). */
final class Preconditions {

    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"?(\\d{1,18})\"?$");

    private Preconditions() {}

    /** The expected version, or null when the header is absent or {@code *}. */
    static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher m = ETAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw ApiException.badRequest("If-Match must be an ETag this server issued, such as \"3\"");
        }
        return Long.parseLong(m.group(1));
    }
}
