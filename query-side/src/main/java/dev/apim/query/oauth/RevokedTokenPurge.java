package dev.apim.query.oauth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.apim.platform.scheduling.PeriodicJob;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * Deletes revoked tokens from {@code apimgtdb.revoked_token} once they expired more than {@link #GRACE} ago
 * (longer than any verifier's clock skew, so a token a verifier could still accept stays revoked), every
 * {@code interval}, on its own thread. A replay of the projection inserts them again and the next purge removes
 * them; several nodes purging at once only delete the same rows.
 */
public class RevokedTokenPurge extends PeriodicJob {

    public static final Duration GRACE = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(RevokedTokenPurge.class);

    private final JdbcTemplate jdbc;

    public RevokedTokenPurge(JdbcTemplate jdbc, Duration interval) {
        super("revoked-token-purge", interval, "apim.oauth.revoked-token-purge-interval");
        this.jdbc = jdbc;
    }

    /** Deletes every revoked token expired more than {@link #GRACE} ago; returns how many. */
    public int purge() {
        return jdbc.update("DELETE FROM apimgtdb.revoked_token WHERE expires_at < now() - make_interval(secs => ?)",
                (double) GRACE.toSeconds());
    }

    @Override
    protected void runOnce() {
        int purged = purge();
        if (purged > 0) {
            log.debug("Purged {} expired revoked token(s)", purged);
        }
    }
}
