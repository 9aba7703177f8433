package dev.apim.gateway.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded in-memory buffer of analytics events for a publisher to drain off the request path. When full, new
 * events are dropped and counted (a slow or absent consumer never slows down or fails a call).
 */
public final class BoundedAnalyticsSink implements AnalyticsSink {

    private final ArrayBlockingQueue<AnalyticsEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();

    public BoundedAnalyticsSink(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public boolean publish(AnalyticsEvent event) {
        if (queue.offer(event)) {
            published.incrementAndGet();
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Removes and returns up to {@code max} buffered events, oldest first. */
    public List<AnalyticsEvent> drain(int max) {
        List<AnalyticsEvent> out = new ArrayList<>(Math.min(max, queue.size()));
        queue.drainTo(out, max);
        return out;
    }

    public int size() {
        return queue.size();
    }

    public long dropped() {
        return dropped.get();
    }

    public long published() {
        return published.get();
    }
}
