package dev.apim.command.support;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retries a command that lost a race on an aggregate's next sequence number (another node appended first):
 * the retry reloads the aggregate and decides again. Nothing else is retried — a refused business rule or a
 * stale {@code If-Match} is an answer, not a transient failure. A command still losing after {@code maxRetries}
 * answers 409 (the caller may retry); its transaction was rolled back each time, so nothing of it is stored.
 */
public final class ConcurrentWriteRetry implements RetryScheduler {

    private final int maxRetries;
    private final long backoffMillis;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "command-retry");
        t.setDaemon(true);
        return t;
    });

    public ConcurrentWriteRetry(int maxRetries, long backoffMillis) {
        this.maxRetries = maxRetries;
        this.backoffMillis = backoffMillis;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable commandDispatch) {
        boolean lostRace = lastFailure instanceof ConcurrencyException
                && !(lastFailure instanceof ConflictingAggregateVersionException);
        if (!lostRace || failures.size() > maxRetries) {
            return false;
        }
        // linear backoff with jitter, so losers of one race do not collide again at the same instant
        long base = backoffMillis * failures.size();
        long delay = base + java.util.concurrent.ThreadLocalRandom.current().nextLong(base + 1);
        executor.schedule(commandDispatch, delay, TimeUnit.MILLISECONDS);
        return true;
    }
}
