package dev.apim.platform.jwt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code application} claim WSO2 puts into access tokens. {@code id} is the numeric application id when it
 * is one (emitted as a JSON number, as WSO2 does), otherwise emitted as a string.
 */
public record ApplicationClaim(String id, String uuid, String name, String tier, String owner) {

    public ApplicationClaim {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
    }

    Map<String, Object> toClaim() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", numericOrString(id));
        m.put("uuid", uuid);
        m.put("name", name);
        m.put("tier", tier);
        m.put("owner", owner);
        return m;
    }

    static ApplicationClaim fromClaim(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("application claim is not an object");
        }
        Object id = m.get("id");
        Object uuid = m.get("uuid");
        Object name = m.get("name");
        if (id == null || !(uuid instanceof String) || !(name instanceof String)) {
            throw new IllegalArgumentException("application claim lacks id, uuid or name");
        }
        return new ApplicationClaim(String.valueOf(id), (String) uuid, (String) name,
                stringOrNull(m.get("tier")), stringOrNull(m.get("owner")));
    }

    private static Object numericOrString(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return id;
        }
    }

    private static String stringOrNull(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
