package dev.apim.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the read-model processors ({@code apimgtdb}, {@code shareddb}) share work between nodes ({@code apim.processing.*}).
 * Each processor's event stream is split into {@code segments} (by aggregate, so one aggregate's events stay in
 * order); every node runs the processors and claims segments in {@code event_store.token_entry}. A node that stops
 * releases its claims at once; one that dies holds them until {@code claim-timeout} has passed since its last
 * claim extension, and the others try to claim free segments every {@code claim-interval}. So a dead node's
 * segments are taken over within claim-timeout + claim-interval + event-availability (the longest a claim goes
 * unextended, min(1s, claim-timeout / 4)): 12 s with the defaults.
 *
 * @param segments      segments per processor, a power of two from 1 to 64; only read when the processor's tokens
 *                      are first created (a database that already has them keeps its count)
 * @param threads       threads per processor on this node; 0 means {@code segments}, which a node needs to take over
 *                      every segment when it is alone
 * @param claimTimeout  after how long without extension another node may steal a claim (2s to 10m)
 * @param claimInterval how often a thread without a segment tries to claim one (100ms up to claimTimeout / 2)
 * @param balance       whether a node that holds more than its share (segments / live nodes, rounded up) releases
 *                      the surplus so newly started nodes get work; live nodes are announced in Redis
 * @param nodeId        this node's name in the claims; empty means {@code pid@host/<random>}, unique per start
 */
@ConfigurationProperties("apim.processing")
public record ProcessingProperties(
        @DefaultValue("1") int segments,
        @DefaultValue("0") int threads,
        @DefaultValue("10s") Duration claimTimeout,
        @DefaultValue("1s") Duration claimInterval,
        @DefaultValue("true") boolean balance,
        String nodeId) {

    public ProcessingProperties {
        if (segments < 1 || segments > 64 || Integer.bitCount(segments) != 1) {
            throw new IllegalArgumentException("apim.processing.segments must be a power of two from 1 to 64, not "
                    + segments);
        }
        if (threads < 0 || threads > segments) {
            throw new IllegalArgumentException("apim.processing.threads must be 0 (= segments) or 1.." + segments
                    + ", not " + threads);
        }
        if (claimTimeout == null || claimTimeout.compareTo(Duration.ofSeconds(2)) < 0
                || claimTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("apim.processing.claim-timeout must be from 2s to 10m");
        }
        if (claimInterval == null || claimInterval.compareTo(Duration.ofMillis(100)) < 0
                || claimInterval.compareTo(claimTimeout.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("apim.processing.claim-interval must be from 100ms to half the "
                    + "claim-timeout");
        }
    }

    /** Threads per processor on this node. */
    public int effectiveThreads() {
        return threads == 0 ? segments : threads;
    }

    /** How long a worker waits for events before it extends its claim: well inside the claim timeout. */
    public Duration eventAvailabilityTimeout() {
        Duration quarter = claimTimeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
    }

    /** The bound on how long a dead node's segments stay unprocessed. */
    public Duration takeoverBound() {
        return claimTimeout.plus(claimInterval).plus(eventAvailabilityTimeout());
    }
}
