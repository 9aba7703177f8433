package dev.apim.gateway.route;

import dev.apim.gateway.model.Api;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The routes of every deployed API, compiled once per state index: contexts (with version, and without it for the
 * default version) in a hash map, each API's resources ordered most specific first. A lookup does a few hash probes
 * (one per path prefix up to the deepest context) and walks the API's resources; nothing is compiled per request.
 */
public final class RouteTable {

    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    /** A backend base URL, parsed once. */
    public record Endpoint(boolean secure, String host, int port, String basePath, String authority) {

        static Endpoint parse(String url) {
            if (url == null || url.isBlank()) {
                return null;
            }
            try {
                URI uri = URI.create(url.trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    log.warn("ignoring backend URL {}: not an absolute http(s) URL", url);
                    return null;
                }
                boolean secure = scheme.equals("https");
                int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
                String base = uri.getRawPath() == null ? "" : uri.getRawPath();
                while (base.endsWith("/")) {
                    base = base.substring(0, base.length() - 1);
                }
                String host = uri.getHost();
                String authority = uri.getPort() > 0 ? uri.getRawAuthority() : host;
                return new Endpoint(secure, host, port, base, authority);
            } catch (IllegalArgumentException e) {
                log.warn("ignoring backend URL {}: {}", url, e.getMessage());
                return null;
            }
        }

        /** The request target on the backend: base path + remainder after the context + query. */
        public String target(String remainder, String query) {
            StringBuilder b = new StringBuilder(basePath.length() + remainder.length() + 16).append(basePath);
            b.append(remainder);
            if (b.isEmpty()) {
                b.append('/');
            }
            if (query != null) {
                b.append('?').append(query);
            }
            return b.toString();
        }
    }

    /** A compiled resource. */
    public record ResourceRoute(Api.Resource resource, UriTemplate template) {}

    /** An API under one served context (its versioned context, or the default-version one). */
    public record ApiRoute(Api api, String servedContext, List<ResourceRoute> resources, Endpoint production,
                           Endpoint sandbox) {}

    /** The outcome of a lookup: {@code resource} is null when no resource matched ({@code methodMismatch} says why). */
    public record Match(ApiRoute route, ResourceRoute resource, String remainder, boolean methodMismatch) {}

    private final long index;
    private final Map<String, ApiRoute> byContext;
    private final int maxDepth;

    private RouteTable(long index, Map<String, ApiRoute> byContext, int maxDepth) {
        this.index = index;
        this.byContext = byContext;
        this.maxDepth = maxDepth;
    }

    public static RouteTable empty() {
        return new RouteTable(Long.MIN_VALUE, Map.of(), 0);
    }

    /** Compiles the table of {@code apis}, as they are at state {@code index}. */
    public static RouteTable build(long index, Collection<Api> apis) {
        Map<String, ApiRoute> versioned = new HashMap<>();
        Map<String, ApiRoute> defaults = new HashMap<>();
        int depth = 0;
        for (Api api : apis) {
            String context = normalise(api.context());
            List<ResourceRoute> resources = new ArrayList<>(api.resources().size());
            for (Api.Resource r : api.resources()) {
                resources.add(new ResourceRoute(r, new UriTemplate(r.uriTemplate())));
            }
            resources.sort((a, b) -> UriTemplate.compareSpecificity(a.template(), b.template()));
            List<ResourceRoute> sorted = List.copyOf(resources);
            Endpoint production = Endpoint.parse(api.productionUrl());
            Endpoint sandbox = Endpoint.parse(api.sandboxUrl());
            versioned.put(context, new ApiRoute(api, context, sorted, production, sandbox));
            depth = Math.max(depth, segments(context).size());
            if (api.defaultVersion()) {
                String unversioned = withoutVersion(context, api.version());
                if (unversioned != null) {
                    defaults.put(unversioned, new ApiRoute(api, unversioned, sorted, production, sandbox));
                    depth = Math.max(depth, segments(unversioned).size());
                }
            }
        }
        Map<String, ApiRoute> all = new HashMap<>(defaults);
        all.putAll(versioned); // a versioned context wins over another API's default-version context
        return new RouteTable(index, Map.copyOf(all), depth);
    }

    public long index() {
        return index;
    }

    public int size() {
        return byContext.size();
    }

    /**
     * Finds the API whose served context is the longest prefix (on a segment boundary) of {@code path} (raw, without
     * query), then the most specific resource matching the rest and {@code method}; HEAD also matches GET resources.
     * Null when no API context matches.
     */
    public Match match(String method, String path) {
        if (maxDepth == 0 || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        int[] ends = new int[maxDepth];
        int count = 0;
        for (int i = 1; i < path.length() && count < maxDepth; i++) {
            if (path.charAt(i) == '/') {
                ends[count++] = i;
            }
        }
        if (count < maxDepth) {
            ends[count++] = path.length();
        }
        for (int k = count - 1; k >= 0; k--) {
            ApiRoute route = byContext.get(path.substring(0, ends[k]));
            if (route != null) {
                String remainder = path.substring(ends[k]);
                return matchResource(route, method, remainder);
            }
        }
        return null;
    }

    private static Match matchResource(ApiRoute route, String method, String remainder) {
        String[] segments = segmentArray(remainder);
        boolean pathMatched = false;
        for (ResourceRoute r : route.resources()) {
            if (r.template().matches(segments)) {
                pathMatched = true;
                if (r.resource().verb().equals(method)) {
                    return new Match(route, r, remainder, false);
                }
            }
        }
        if (pathMatched && method.equals("HEAD")) {
            for (ResourceRoute r : route.resources()) {
                if (r.resource().verb().equals("GET") && r.template().matches(segments)) {
                    return new Match(route, r, remainder, false);
                }
            }
        }
        return new Match(route, null, remainder, pathMatched);
    }

    /** {@link #segments} as an array. */
    public static String[] segmentArray(String path) {
        return segments(path).toArray(String[]::new);
    }

    /** Path segments without the leading slash; one trailing empty segment (a trailing slash) is dropped. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>(8);
        int start = path.startsWith("/") ? 1 : 0;
        int len = path.length();
        if (len > start && path.charAt(len - 1) == '/') {
            len--;
        }
        if (start >= len) {
            return out;
        }
        int i = start;
        while (true) {
            int slash = path.indexOf('/', i);
            if (slash < 0 || slash >= len) {
                out.add(path.substring(i, len));
                return out;
            }
            out.add(path.substring(i, slash));
            i = slash + 1;
        }
    }

    static String normalise(String context) {
        String c = context.trim();
        if (!c.startsWith("/")) {
            c = "/" + c;
        }
        while (c.length() > 1 && c.endsWith("/")) {
            c = c.substring(0, c.length() - 1);
        }
        return c;
    }

    /** The context without its first segment equal to {@code version}, or null when it has none. */
    static String withoutVersion(String context, String version) {
        List<String> parts = segments(context);
        if (!parts.remove(version) || parts.isEmpty()) {
            return null;
        }
        return "/" + String.join("/", parts);
    }
}
