package dev.apim.query.broadcast;

import dev.apim.platform.broadcast.BroadcastNotification;
import dev.apim.platform.broadcast.BroadcastStream;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;

import java.util.function.Supplier;

/**
 * The Traffic Manager's processor (its own tracking processor {@value #PROCESSOR}, one segment): every event a
 * gateway cares about becomes a notification on the broadcast stream, in the processor's order. Publishing is
 * idempotent by global index (the stream's script skips an index already published), so a redelivered batch or
 * a replay adds nothing. A failure to reach Redis propagates: the processor retries the batch rather than skip.
 */
@ProcessingGroup(BroadcastPublisher.PROCESSOR)
public class BroadcastPublisher {

    public static final String PROCESSOR = "broadcast";
    static final String TENANT = "tenant";

    private final BroadcastStream stream;
    private final Supplier<String> epoch;
    private final EventIndex eventIndex;

    /**
     * The global index of an event. Not the tracking token's position: an event that fills a gap (its transaction
     * committed after a later one's) is delivered with the token of the furthest event, whose index is higher.
     */
    @FunctionalInterface
    public interface EventIndex {
        long of(EventMessage<?> message, TrackingToken token);
    }

    /**
     * @param epoch the identity of the event store (the identifier of its first event), so a stream left in Redis
     *              by another event store (a database created anew) is started afresh rather than taken as ahead
     */
    public BroadcastPublisher(BroadcastStream stream, Supplier<String> epoch, EventIndex eventIndex) {
        this.stream = stream;
        this.epoch = epoch;
        this.eventIndex = eventIndex;
    }

    @EventHandler
    public void on(Object event, EventMessage<?> message, TrackingToken token) {
        long index = eventIndex.of(message, token);
        Object tenant = message.getMetaData().get(TENANT);
        BroadcastNotification notification = Notifications.of(index, tenant == null ? null : tenant.toString(), event);
        if (notification != null) {
            stream.publish(notification, epoch.get());
        }
    }
}
