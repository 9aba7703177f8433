package dev.apim.platform.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A housekeeping job that runs every {@code interval} on its own daemon thread while the application runs (a
 * {@link SmartLifecycle}). A failed run is logged and the job tries again at the next interval; runs never overlap.
 */
public abstract class PeriodicJob implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);

    private final String name;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    /**
     * @param name     the thread's name and the job's name in logs
     * @param property the setting {@code interval} comes from, named when it is not positive
     */
    protected PeriodicJob(String name, Duration interval, String property) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(property + " must be positive");
        }
        this.name = name;
        this.interval = interval;
    }

    /** One run; may throw, the next run comes anyway. */
    protected abstract void runOnce();

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("{} failed; retrying in {}", name, interval, e);
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
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
