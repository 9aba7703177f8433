package dev.apim.gateway.route;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A WSO2 resource template compiled once: segments are literals, {@code {param}} (one segment), a segment mixing
 * text and parameters such as {@code {id}.json} (a pattern compiled here, never per request), {@code *} (one
 * segment), and a trailing {@code *} that matches zero or more remaining segments ({@code /orders/*}, {@code /*}).
 * A query part in the template ({@code /menu?type={t}}) is ignored. A trailing slash in the request is tolerated.
 */
public final class UriTemplate {

    private enum Kind { LITERAL, PARAM, PATTERN, ANY }

    private final String template;
    private final Kind[] kinds;
    private final String[] literals;
    private final Pattern[] patterns;
    private final boolean trailingWildcard;
    private final int literalCount;
    private final int paramCount;

    public UriTemplate(String template) {
        this.template = template;
        String path = template;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        List<String> parts = RouteTable.segments(path);
        boolean wildcard = !parts.isEmpty() && parts.get(parts.size() - 1).equals("*");
        if (wildcard) {
            parts = parts.subList(0, parts.size() - 1);
        }
        int n = parts.size();
        kinds = new Kind[n];
        literals = new String[n];
        patterns = new Pattern[n];
        int lit = 0;
        int par = 0;
        for (int i = 0; i < n; i++) {
            String s = parts.get(i);
            if (s.equals("*")) {
                kinds[i] = Kind.ANY;
                par++;
            } else if (s.length() > 2 && s.charAt(0) == '{' && s.indexOf('}') == s.length() - 1
                    && s.indexOf('{', 1) < 0) {
                kinds[i] = Kind.PARAM;
                par++;
            } else if (s.indexOf('{') >= 0) {
                kinds[i] = Kind.PATTERN;
                patterns[i] = Pattern.compile(mixedSegmentRegex(s));
                lit++;
            } else {
                kinds[i] = Kind.LITERAL;
                literals[i] = s;
                lit++;
            }
        }
        this.trailingWildcard = wildcard;
        this.literalCount = lit;
        this.paramCount = par;
    }

    private static String mixedSegmentRegex(String segment) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < segment.length()) {
            int open = segment.indexOf('{', i);
            if (open < 0) {
                re.append(Pattern.quote(segment.substring(i)));
                break;
            }
            if (open > i) {
                re.append(Pattern.quote(segment.substring(i, open)));
            }
            int close = segment.indexOf('}', open);
            if (close < 0) {
                re.append(Pattern.quote(segment.substring(open)));
                break;
            }
            re.append("[^/]+?");
            i = close + 1;
        }
        return re.toString();
    }

    public String template() {
        return template;
    }

    /** Whether the request path segments (after the API context) match. */
    public boolean matches(String[] segments) {
        int n = kinds.length;
        if (trailingWildcard ? segments.length < n : segments.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            String s = segments[i];
            switch (kinds[i]) {
                case LITERAL -> {
                    if (!literals[i].equals(s)) {
                        return false;
                    }
                }
                case PARAM, ANY -> {
                    if (s.isEmpty()) {
                        return false;
                    }
                }
                case PATTERN -> {
                    if (!patterns[i].matcher(s).matches()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Orders templates so that the most specific comes first: more literal segments, then more segments, then
     * without a trailing wildcard before with one.
     */
    static int compareSpecificity(UriTemplate a, UriTemplate b) {
        int c = Integer.compare(b.literalCount, a.literalCount);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(b.literalCount + b.paramCount, a.literalCount + a.paramCount);
        if (c != 0) {
            return c;
        }
        return Boolean.compare(a.trailingWildcard, b.trailingWildcard);
    }

    @Override
    public String toString() {
        return template;
    }
}
