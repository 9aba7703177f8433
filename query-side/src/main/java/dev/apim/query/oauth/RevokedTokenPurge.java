package dev.apim.query.oauth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes revoked tokens from {@code apimgtdb.revoked_token} once they expired more than {@link #GRACE} ago
 * (longer than any verifier's clock skew, so a token a verifier could still accept stays revoked), every
 * {@code interval}, on its own thread. A replay of the projection inserts them again and the next purge removes
 * them; several nodes purging at once only delete the same rows.
 */
public class RevokedTokenPurge implements SmartLifecycle {

    public static final Duration GRACE = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(RevokedTokenPurge.class);

    private final JdbcTemplate jdbc;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public RevokedTokenPurge(JdbcTemplate jdbc, Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("apim.oauth.revoked-token-purge-interval must be positive");
        }
        this.jdbc = jdbc;
        this.interval = interval;
    }

    /** Deletes every revoked token expired more than {@link #GRACE} ago; returns how many. */
    public int purge() {
        return jdbc.update("DELETE FROM apimgtdb.revoked_token WHERE expires_at < now() - make_interval(secs => ?)",
                (double) GRACE.toSeconds());
    }

    private void purgeSafely() {
        try {
            int purged = purge();
            if (purged > 0) {
                log.debug("Purged {} expired revoked token(s)", purged);
            }
        } catch (RuntimeException e) {
            log.warn("Purging expired revoked tokens failed; retrying in {}", interval, e);
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "revoked-token-purge");
                t.setDaemon(true);
                return t;
            });
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(this::purgeSafely, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
