package dev.apim.query.rebuild;

import java.time.Instant;

/**
 * A projection's rebuild as the Admin API, the metrics and the command line show it. Events are counted by
 * global index (the log's position): {@code eventsDone} is the rebuild processor's position, {@code eventsTotal}
 * the newest event's index when last looked at (it grows while the system takes writes).
 *
 * @param state         {@code IDLE} (never rebuilt on this node), {@code RUNNING}, {@code SWITCHING},
 *                      {@code COMPLETED}, {@code CANCELLED} or {@code FAILED}
 * @param etaSeconds    null until a rate is known
 */
public record RebuildStatus(String name, String state, long eventsDone, long eventsTotal, double eventsPerSecond,
                            Long etaSeconds, Instant startedAt, Instant finishedAt, String message) {

    public boolean finished() {
        return "COMPLETED".equals(state) || "CANCELLED".equals(state) || "FAILED".equals(state);
    }
}
