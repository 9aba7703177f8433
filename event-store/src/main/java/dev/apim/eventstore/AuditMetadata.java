package dev.apim.eventstore;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * The audit trail's metadata: every event records who caused it (principal, tenant, client IP), the
 * request it belongs to (correlation id) and the message that directly caused it (causation id).
 * Commands carry the first four from the REST edge; this provider copies them onto every event the
 * command produces and adds the causation id.
 */
public final class AuditMetadata implements CorrelationDataProvider {

    public static final String TENANT = "tenant";
    public static final String PRINCIPAL = "principal";
    public static final String CLIENT_IP = "clientIp";
    public static final String CORRELATION_ID = "correlationId";
    public static final String CAUSATION_ID = "causationId";

    /** Metadata for a command dispatched at the edge on behalf of a caller. */
    public static MetaData of(String tenant, String principal, String clientIp, String correlationId) {
        Map<String, Object> values = new HashMap<>();
        values.put(TENANT, tenant);
        values.put(PRINCIPAL, principal);
        values.put(CLIENT_IP, clientIp);
        values.put(CORRELATION_ID, correlationId);
        return MetaData.from(values);
    }

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        MetaData source = message.getMetaData();
        Map<String, Object> data = new HashMap<>();
        copy(source, data, TENANT);
        copy(source, data, PRINCIPAL);
        copy(source, data, CLIENT_IP);
        Object correlation = source.get(CORRELATION_ID);
        data.put(CORRELATION_ID, correlation != null ? correlation : message.getIdentifier());
        data.put(CAUSATION_ID, message.getIdentifier());
        return data;
    }

    private static void copy(MetaData source, Map<String, Object> target, String key) {
        Object value = source.get(key);
        if (value != null) {
            target.put(key, value);
        }
    }
}
