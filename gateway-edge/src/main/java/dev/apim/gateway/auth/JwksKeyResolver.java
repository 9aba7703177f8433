package dev.apim.gateway.auth;

import dev.apim.platform.jwt.JwksDocument;
import dev.apim.platform.jwt.KeyResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The Key Manager's signing keys, fetched from its JWKS endpoint with a non-blocking client and cached. Never blocks:
 * {@link #refresh()} (called by the verifier on an unknown {@code kid}) only starts a fetch, at most once per
 * {@code minGap}; a caller that wants the outcome waits on {@link #pendingRefresh()} asynchronously. The keys are
 * also refreshed in the background every {@code interval}. A failed fetch keeps the previous keys.
 */
public final class JwksKeyResolver implements KeyResolver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JwksKeyResolver.class);

    private final HttpClient client;
    private final Supplier<String> url;
    private final Duration minGap;
    private final Duration interval;
    private final Duration timeout;
    private final Clock clock;
    private volatile Map<String, RSAPublicKey> keys = Map.of();
    private final AtomicReference<Mono<Void>> inFlight = new AtomicReference<>();
    private volatile long lastStartMillis = Long.MIN_VALUE / 2;
    private volatile Disposable background;

    public JwksKeyResolver(HttpClient client, String url, Duration minGap, Duration interval, Duration timeout,
                           Clock clock) {
        this(client, () -> url, minGap, interval, timeout, clock);
    }

    /** @param url read at each fetch (e.g. the co-located Key Manager's address, known once its server runs) */
    public JwksKeyResolver(HttpClient client, Supplier<String> url, Duration minGap, Duration interval,
                           Duration timeout, Clock clock) {
        this.client = client;
        this.url = url;
        this.minGap = minGap;
        this.interval = interval;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Optional<RSAPublicKey> find(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /** Starts a fetch unless one ran within {@code minGap}; returns at once. */
    @Override
    public void refresh() {
        start(false);
    }

    /** The fetch in progress, if any (completes when it ends, successfully or not); empty otherwise. */
    public Mono<Void> pendingRefresh() {
        Mono<Void> m = inFlight.get();
        return m == null ? Mono.empty() : m;
    }

    /** Fetches now (first load and background refresh), regardless of the gap. */
    public Mono<Void> fetchNow() {
        Mono<Void> m = start(true);
        return m == null ? pendingRefresh() : m;
    }

    /** Loads the keys once now (without waiting) and every {@code interval} after. */
    public void startBackgroundRefresh() {
        fetchNow().subscribe();
        background = Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> fetchNow().onErrorResume(e -> Mono.empty()), 1)
                .subscribe();
    }

    public int size() {
        return keys.size();
    }

    private Mono<Void> start(boolean force) {
        long now = clock.millis();
        if (!force && now - lastStartMillis < minGap.toMillis()) {
            return null;
        }
        Mono<Void> existing = inFlight.get();
        if (existing != null) {
            return existing;
        }
        String target = url.get();
        Mono<Void> fetch = client.get().uri(target)
                .responseSingle((response, body) -> response.status().code() == 200
                        ? body.asString()
                        : Mono.error(new IllegalStateException("JWKS endpoint answered " + response.status())))
                .timeout(timeout)
                .map(JwksDocument::parse)
                .doOnNext(parsed -> {
                    keys = Map.copyOf(parsed);
                    log.debug("loaded {} signing keys from {}", parsed.size(), target);
                })
                .doOnError(e -> log.warn("cannot load the JWKS from {}: {}", target, e.toString()))
                .onErrorResume(e -> Mono.empty())
                .then()
                .doFinally(s -> inFlight.set(null))
                .cache();
        if (!inFlight.compareAndSet(null, fetch)) {
            Mono<Void> other = inFlight.get();
            return other == null ? Mono.empty() : other;
        }
        lastStartMillis = now;
        fetch.subscribe();
        return fetch;
    }

    @Override
    public void close() {
        Disposable d = background;
        if (d != null) {
            d.dispose();
        }
    }
}
