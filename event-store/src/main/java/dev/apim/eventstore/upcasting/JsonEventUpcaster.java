package dev.apim.eventstore.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.Objects;

/**
 * One step of an event's schema evolution: turns the stored JSON of {@code eventType} at revision
 * {@code fromRevision} (null: written before the class had {@code @Revision}) into revision {@code toRevision}.
 * Upcasters run when events are read (aggregates, processors, replays); the stored rows never change. A subclass
 * annotated {@code @Component} in this package is picked up by {@code EventStoreConfiguration}; see
 * docs/contributing.md "Events are forever".
 */
public abstract class JsonEventUpcaster extends SingleEventUpcaster {

    private final SerializedType from;
    private final SerializedType to;

    protected JsonEventUpcaster(Class<?> eventType, String fromRevision, String toRevision) {
        this.from = new SimpleSerializedType(eventType.getName(), fromRevision);
        this.to = new SimpleSerializedType(eventType.getName(), Objects.requireNonNull(toRevision, "toRevision"));
    }

    /**
     * Changes the payload in place (or returns a new one).
     *
     * @param metaData the event's stored metadata (tenant, principal, ...), for facts the old form left there
     */
    protected abstract ObjectNode upcast(ObjectNode payload, MetaData metaData);

    @Override
    protected final boolean canUpcast(IntermediateEventRepresentation representation) {
        return from.equals(representation.getType());
    }

    @Override
    protected final IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        MetaData metaData = representation.getMetaData().getObject();
        return representation.upcastPayload(to, JsonNode.class, payload -> {
            if (!(payload instanceof ObjectNode object)) {
                throw new IllegalStateException("Stored " + from.getName() + " is not a JSON object");
            }
            return upcast(object.deepCopy(), metaData);
        });
    }
}
