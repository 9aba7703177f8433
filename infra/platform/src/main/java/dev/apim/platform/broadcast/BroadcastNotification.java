package dev.apim.platform.broadcast;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One controller notification.
 *
 * @param index    the global index of the event it comes from
 * @param sequence the broadcast sequence number (1, 2, 3, ... without holes); 0 before it is published
 * @param type     what happened
 * @param tenant   the tenant of the entity
 * @param id       the entity's id (API, application, subscription, policy, block condition id; consumer key for key
 *                 mappings and cut-offs; jti for a revoked token)
 * @param data     what a consumer needs besides the id (see {@link NotificationType})
 */
public record BroadcastNotification(long index, long sequence, NotificationType type, String tenant, String id,
                                    Map<String, String> data) {

    static final String F_SEQ = "seq";
    static final String F_INDEX = "index";
    static final String F_TYPE = "type";
    static final String F_TENANT = "tenant";
    static final String F_ID = "id";
    static final String DATA_PREFIX = "d.";

    public BroadcastNotification {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    public static BroadcastNotification of(long index, NotificationType type, String tenant, String id,
                                           Map<String, String> data) {
        return new BroadcastNotification(index, 0, type, tenant, id, data);
    }

    public String data(String key) {
        return data.get(key);
    }

    /** The stream entry's fields after {@code seq} (which the publishing script adds first). */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(F_INDEX, Long.toString(index));
        fields.put(F_TYPE, type.name());
        fields.put(F_TENANT, tenant == null ? "" : tenant);
        fields.put(F_ID, id);
        data.forEach((k, v) -> {
            if (v != null) {
                fields.put(DATA_PREFIX + k, v);
            }
        });
        return fields;
    }

    /** Reads a stream entry; null when it is not a notification this version understands. */
    static BroadcastNotification fromFields(Map<String, String> fields) {
        try {
            NotificationType type = NotificationType.valueOf(fields.get(F_TYPE));
            Map<String, String> data = new LinkedHashMap<>();
            fields.forEach((k, v) -> {
                if (k.startsWith(DATA_PREFIX)) {
                    data.put(k.substring(DATA_PREFIX.length()), v);
                }
            });
            String tenant = fields.get(F_TENANT);
            return new BroadcastNotification(Long.parseLong(fields.get(F_INDEX)), Long.parseLong(fields.get(F_SEQ)),
                    type, tenant == null || tenant.isEmpty() ? null : tenant, fields.get(F_ID), data);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
