package dev.apim.command.oauth;

import dev.apim.platform.scheduling.PeriodicJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Deletes refresh tokens an hour after they expired, every ten minutes (any Key Manager node may do it). */
public class RefreshTokenPurge extends PeriodicJob {

    static final Duration GRACE = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(RefreshTokenPurge.class);

    private final RefreshTokenStore store;

    public RefreshTokenPurge(RefreshTokenStore store) {
        super("refresh-token-purge", Duration.ofMinutes(10), "the refresh token purge interval");
        this.store = store;
    }

    @Override
    protected void runOnce() {
        int purged = store.purgeExpired(GRACE);
        if (purged > 0) {
            log.info("Purged {} expired refresh tokens", purged);
        }
    }
}
