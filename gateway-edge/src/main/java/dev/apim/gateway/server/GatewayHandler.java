package dev.apim.gateway.server;

import dev.apim.domain.common.IpAddresses;
import dev.apim.domain.keys.KeyType;
import dev.apim.gateway.analytics.AnalyticsEvent;
import dev.apim.gateway.analytics.AnalyticsSink;
import dev.apim.gateway.analytics.GatewayMetrics;
import dev.apim.gateway.auth.TokenAuthenticator;
import dev.apim.gateway.block.BlockConditions;
import dev.apim.gateway.block.ClientAddresses;
import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.GatewayLookup;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.gateway.model.Subscription;
import dev.apim.gateway.proxy.BackendProxy;
import dev.apim.gateway.route.RouteTable;
import dev.apim.gateway.route.Routes;
import dev.apim.gateway.throttle.ThrottleCounter;
import dev.apim.gateway.throttle.ThrottleDecision;
import dev.apim.gateway.throttle.ThrottlePlanner;
import dev.apim.gateway.throttle.Throttler;
import dev.apim.platform.jwt.InvalidTokenException;
import dev.apim.platform.jwt.VerifiedToken;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The request path (DESIGN §6), in this order: route → API blocked → block conditions (API, IP, IP range) →
 * bearer JWT (or an unsecured resource) → block conditions (user, application) → subscription → scopes →
 * throttling → proxy to the production or sandbox endpoint → analytics event. Every step is a memory lookup or
 * non-blocking; refusals answer WSO2's JSON error bodies.
 */
public final class GatewayHandler implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    static final AsciiString RATE_LIMIT_LIMIT = AsciiString.cached("x-ratelimit-limit");
    static final AsciiString RATE_LIMIT_REMAINING = AsciiString.cached("x-ratelimit-remaining");
    static final AsciiString RATE_LIMIT_RESET = AsciiString.cached("x-ratelimit-reset");
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString CORRELATION_ID = AsciiString.cached("activityid");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json; charset=UTF-8");
    private static final DateTimeFormatter NEXT_ACCESS = DateTimeFormatter
            .ofPattern("yyyy-MMM-dd HH:mm:ssZ", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Routes routes;
    private final GatewayLookup lookup;
    private final BlockConditions blocks;
    private final TokenAuthenticator authenticator;
    private final ThrottlePlanner planner;
    private final Throttler throttler;
    private final BackendProxy proxy;
    private final AnalyticsSink analytics;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final boolean trustForwardedFor;
    private final AtomicLong lastThrottleErrorLog = new AtomicLong();

    public GatewayHandler(GatewayLookup lookup, Routes routes, BlockConditions blocks,
                          TokenAuthenticator authenticator, ThrottlePlanner planner, Throttler throttler,
                          BackendProxy proxy, AnalyticsSink analytics, GatewayMetrics metrics, Clock clock,
                          boolean trustForwardedFor) {
        this.lookup = lookup;
        this.routes = routes;
        this.blocks = blocks;
        this.authenticator = authenticator;
        this.planner = planner;
        this.throttler = throttler;
        this.proxy = proxy;
        this.analytics = analytics;
        this.metrics = metrics;
        this.clock = clock;
        this.trustForwardedFor = trustForwardedFor;
    }

    /** Per-call state, also the analytics record. */
    private static final class Exchange {
        final HttpServerRequest request;
        final HttpServerResponse response;
        final long startNanos;
        String path;
        String query;
        RouteTable.Match match;
        byte[] clientIp;
        VerifiedToken token;
        Application application;
        KeyType keyType;
        ThrottleDecision decision;
        GatewayError error;
        int backendStatus;
        String outcome = "refused";

        Exchange(HttpServerRequest request, HttpServerResponse response, long startNanos) {
            this.request = request;
            this.response = response;
            this.startNanos = startNanos;
        }

        Api api() {
            return match == null ? null : match.route().api();
        }
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        Exchange x = new Exchange(request, response, System.nanoTime());
        Mono<Void> handled;
        try {
            handled = route(x);
        } catch (RuntimeException e) {
            log.error("gateway failure on {} {}", request.method(), request.uri(), e);
            handled = refuse(x, GatewayError.INTERNAL);
        }
        return handled
                .onErrorResume(e -> {
                    if (e instanceof BackendProxy.BackendException b) {
                        x.outcome = "backend_error";
                        return refuse(x, switch (b.failure()) {
                            case TIMEOUT -> GatewayError.BACKEND_TIMEOUT;
                            case CLOSED -> GatewayError.BACKEND_CLOSED;
                            case UNREACHABLE -> GatewayError.BACKEND_UNREACHABLE;
                        });
                    }
                    if (response.hasSentHeaders()) {
                        return Mono.error(e);
                    }
                    log.error("gateway failure on {} {}", request.method(), request.uri(), e);
                    return refuse(x, GatewayError.INTERNAL);
                })
                .doFinally(signal -> complete(x, signal));
    }

    // ---- 1. route

    private Mono<Void> route(Exchange x) {
        String uri = x.request.uri();
        int q = uri.indexOf('?');
        x.path = q < 0 ? uri : uri.substring(0, q);
        x.query = q < 0 ? null : uri.substring(q + 1);
        if (!lookup.isLoaded()) {
            return refuse(x, GatewayError.NOT_READY);
        }
        x.match = routes.current().match(x.request.method().name(), x.path);
        if (x.match == null) {
            return refuse(x, GatewayError.NO_MATCHING_RESOURCE);
        }
        Api api = x.api();
        if ("BLOCKED".equalsIgnoreCase(api.lifecycleStatus())) {
            return refuse(x, GatewayError.API_BLOCKED);
        }
        if (x.match.resource() == null) {
            return refuse(x, x.match.methodMismatch() ? GatewayError.METHOD_NOT_ALLOWED
                    : GatewayError.NO_MATCHING_RESOURCE);
        }
        // ---- 2. block conditions known before authentication
        x.clientIp = clientIp(x.request);
        if (blocks.blockedBeforeAuthentication(api.tenant(), api.context(), x.clientIp)) {
            return refuse(x, GatewayError.MESSAGE_BLOCKED);
        }
        Api.Resource resource = x.match.resource().resource();
        if (!resource.secured()) {
            x.keyType = KeyType.PRODUCTION;
            return throttle(x, null, null);
        }
        return authenticate(x);
    }

    private byte[] clientIp(HttpServerRequest request) {
        if (trustForwardedFor) {
            byte[] forwarded = ClientAddresses.fromForwardedFor(request.requestHeaders().get(X_FORWARDED_FOR));
            if (forwarded != null) {
                return forwarded;
            }
        }
        return ClientAddresses.of(request.remoteAddress());
    }

    // ---- 3. authentication

    private Mono<Void> authenticate(Exchange x) {
        String header = x.request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        String token = bearer(header);
        if (token == null) {
            return refuse(x, GatewayError.MISSING_CREDENTIALS);
        }
        return authenticator.authenticate(token)
                .map(t -> {
                    x.token = t;
                    return Boolean.TRUE;
                })
                .onErrorResume(InvalidTokenException.class, e -> {
                    log.debug("token refused: {}", e.getMessage());
                    return Mono.just(Boolean.FALSE);
                })
                .flatMap(ok -> ok ? authorize(x) : refuse(x, GatewayError.INVALID_CREDENTIALS));
    }

    static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    // ---- 4. block conditions on the caller, subscription, scopes

    private Mono<Void> authorize(Exchange x) {
        Api api = x.api();
        VerifiedToken token = x.token;
        KeyMapping mapping = lookup.keyMapping(token.authorizedParty()).orElse(null);
        if (mapping == null || !mapping.active()) {
            return refuse(x, GatewayError.INVALID_CREDENTIALS);
        }
        Application application = lookup.application(mapping.applicationId()).orElse(null);
        if (application == null) {
            return refuse(x, GatewayError.RESOURCE_FORBIDDEN);
        }
        x.application = application;
        if (blocks.blockedAfterAuthentication(api.tenant(), token.subject(), application)) {
            return refuse(x, GatewayError.MESSAGE_BLOCKED);
        }
        x.keyType = token.keyType() != null ? token.keyType() : mapping.keyType();
        Subscription subscription = lookup.subscription(application.applicationId(), api.apiId()).orElse(null);
        GatewayError refusal = subscriptionRefusal(subscription, x.keyType);
        if (refusal != null) {
            return refuse(x, refusal);
        }
        List<String> scopes = x.match.resource().resource().scopes();
        if (!scopes.isEmpty() && scopes.stream().noneMatch(token.scopes()::contains)) {
            return refuse(x, GatewayError.INVALID_SCOPE);
        }
        return throttle(x, application, subscription);
    }

    /** WSO2's subscription validation: null when the subscription lets this key type through. */
    static GatewayError subscriptionRefusal(Subscription subscription, KeyType keyType) {
        if (subscription == null || subscription.status() == null) {
            return GatewayError.RESOURCE_FORBIDDEN;
        }
        switch (subscription.status().toUpperCase(Locale.ROOT)) {
            case "UNBLOCKED", "TIER_UPDATE_PENDING" -> {
                return null;
            }
            case "PROD_ONLY_BLOCKED" -> {
                return keyType == KeyType.SANDBOX ? null : GatewayError.SUBSCRIPTION_BLOCKED;
            }
            case "BLOCKED" -> {
                return GatewayError.SUBSCRIPTION_BLOCKED;
            }
            case "ON_HOLD", "REJECTED" -> {
                return GatewayError.SUBSCRIPTION_INACTIVE;
            }
            default -> {
                return GatewayError.RESOURCE_FORBIDDEN;
            }
        }
    }

    // ---- 5. throttling

    private Mono<Void> throttle(Exchange x, Application application, Subscription subscription) {
        Api api = x.api();
        HttpHeaders headers = x.request.requestHeaders();
        long contentLength = headers.getInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        List<ThrottleCounter> counters = planner.counters(api, x.match.resource().resource(), application,
                subscription, x.token == null ? null : x.token.subject(),
                new ThrottlePlanner.RequestFacts(x.clientIp, headers, x.query, x.token, contentLength));
        if (counters.isEmpty()) {
            return proxy(x);
        }
        return throttler.acquire(counters)
                .onErrorResume(e -> {
                    metrics.throttleError();
                    long now = System.currentTimeMillis();
                    long last = lastThrottleErrorLog.get();
                    if (now - last > 60_000 && lastThrottleErrorLog.compareAndSet(last, now)) {
                        log.warn("throttler failed, letting calls through: {}", e.toString());
                    }
                    return Mono.just(ThrottleDecision.unlimited());
                })
                .flatMap(decision -> {
                    x.decision = decision;
                    return decision.admitted() ? proxy(x) : throttled(x, decision);
                });
    }

    private Mono<Void> throttled(Exchange x, ThrottleDecision d) {
        x.outcome = "throttled";
        ThrottleCounter.Level level = d.rejectedBy() == null ? ThrottleCounter.Level.API : d.rejectedBy();
        Instant next = d.reset() != null ? d.reset()
                : d.retryAfter() != null ? clock.instant().plus(d.retryAfter()) : clock.instant();
        String nextAccess = NEXT_ACCESS.format(next) + " UTC";
        GatewayError error = new GatewayError(429, Integer.toString(level.code()), null, "Message throttled out",
                "You have exceeded your quota .You can access API after " + nextAccess);
        x.error = error;
        long retry = d.retryAfter() != null ? ceilSeconds(d.retryAfter())
                : Math.max(1, ceilSeconds(Duration.between(clock.instant(), next)));
        x.response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, retry)));
        rateLimitHeaders(x, x.response.responseHeaders());
        return send(x, error, error.json(new String[] {"nextAccessTime", nextAccess})
                .getBytes(StandardCharsets.UTF_8));
    }

    private void rateLimitHeaders(Exchange x, HttpHeaders h) {
        ThrottleDecision d = x.decision;
        if (d == null || d.limit() < 0) {
            return;
        }
        h.set(RATE_LIMIT_LIMIT, Long.toString(d.limit()));
        h.set(RATE_LIMIT_REMAINING, Long.toString(Math.max(0, d.remaining())));
        if (d.reset() != null) {
            h.set(RATE_LIMIT_RESET, Long.toString(Math.max(0, ceilSeconds(Duration.between(clock.instant(),
                    d.reset())))));
        }
    }

    private static long ceilSeconds(Duration d) {
        long ms = d.toMillis();
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    // ---- 6. proxy

    private Mono<Void> proxy(Exchange x) {
        RouteTable.ApiRoute route = x.match.route();
        RouteTable.Endpoint endpoint = x.keyType == KeyType.SANDBOX ? route.sandbox() : route.production();
        if (endpoint == null) {
            return refuse(x, x.keyType == KeyType.SANDBOX ? GatewayError.NO_SANDBOX_ENDPOINT
                    : GatewayError.NO_PRODUCTION_ENDPOINT);
        }
        x.outcome = "proxied";
        String target = endpoint.target(x.match.remainder(), x.query);
        // X-Forwarded-For gets the peer this gateway talked to (not an address it was told about).
        byte[] peer = ClientAddresses.of(x.request.remoteAddress());
        String client = peer == null ? null : IpAddresses.format(peer);
        return proxy.forward(x.request, x.response, endpoint, target, client, h -> rateLimitHeaders(x, h))
                .doOnNext(status -> x.backendStatus = status)
                .then();
    }

    // ---- answers

    private Mono<Void> refuse(Exchange x, GatewayError error) {
        x.error = error;
        if (x.decision != null) {
            rateLimitHeaders(x, x.response.responseHeaders());
        }
        return send(x, error, error.body());
    }

    private static Mono<Void> send(Exchange x, GatewayError error, byte[] body) {
        HttpServerResponse r = x.response;
        r.status(HttpResponseStatus.valueOf(error.status()));
        HttpHeaders h = r.responseHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON);
        h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (error.status() == 401) {
            h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"apim\"");
        }
        if (error == GatewayError.METHOD_NOT_ALLOWED) {
            h.set(HttpHeaderNames.ALLOW, allowed(x));
        }
        if (x.request.method().name().equals("HEAD")) {
            return r.send().then();
        }
        return r.send(Mono.just(Unpooled.wrappedBuffer(body))).then();
    }

    private static String allowed(Exchange x) {
        String[] segments = RouteTable.segmentArray(x.match.remainder());
        StringBuilder b = new StringBuilder();
        for (RouteTable.ResourceRoute r : x.match.route().resources()) {
            String verb = r.resource().verb();
            if (r.template().matches(segments) && b.indexOf(verb) < 0) {
                b.append(b.length() == 0 ? "" : ", ").append(verb);
            }
        }
        return b.toString();
    }

    // ---- 7. analytics, off the request path

    private void complete(Exchange x, SignalType signal) {
        try {
            long nanos = System.nanoTime() - x.startNanos;
            int status = x.response.status() == null ? 0 : x.response.status().code();
            if (signal == SignalType.CANCEL && x.backendStatus == 0 && x.error == null) {
                status = 499; // the client went away
            }
            metrics.record(x.outcome, status, nanos);
            Api api = x.api();
            VerifiedToken t = x.token;
            analytics.publish(new AnalyticsEvent(clock.instant(),
                    api == null ? null : api.tenant(), api == null ? null : api.apiId(),
                    api == null ? null : api.name(), api == null ? null : api.version(),
                    api == null ? null : api.context(), x.request.method().name(),
                    x.match == null || x.match.resource() == null ? null
                            : x.match.resource().resource().uriTemplate(),
                    x.application == null ? null : x.application.applicationId(),
                    t == null ? null : t.subject(), x.keyType == null ? null : x.keyType.name(),
                    x.clientIp == null ? null : IpAddresses.format(x.clientIp), status,
                    x.error == null ? null : x.error.code(), x.backendStatus, "throttled".equals(x.outcome),
                    nanos, x.request.requestHeaders().get(CORRELATION_ID)));
        } catch (RuntimeException e) {
            log.warn("analytics event lost: {}", e.toString());
        }
    }
}
