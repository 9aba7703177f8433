package dev.apim.gateway.analytics;

/** Receives analytics events. Implementations must never block nor throw: they are called on the event loop. */
@FunctionalInterface
public interface AnalyticsSink {

    /** Hands over an event; false when it had to be dropped. */
    boolean publish(AnalyticsEvent event);
}
