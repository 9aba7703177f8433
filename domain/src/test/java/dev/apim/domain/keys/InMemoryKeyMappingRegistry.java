package dev.apim.domain.keys;

import java.util.HashMap;
import java.util.Map;

/** The one-live-mapping port in memory, for fixture tests. */
final class InMemoryKeyMappingRegistry implements KeyMappingRegistry {

    private final Map<String, String> claims = new HashMap<>();

    @Override
    public void claim(String tenant, String applicationId, KeyType keyType, String keysId) {
        if (claims.putIfAbsent(key(tenant, applicationId, keyType), keysId) != null) {
            throw ApplicationKeys.keyMappingAlreadyExists(applicationId, keyType);
        }
    }

    @Override
    public void release(String tenant, String applicationId, KeyType keyType, String keysId) {
        claims.remove(key(tenant, applicationId, keyType), keysId);
    }

    /** The mapping holding the claim, or null. */
    String holder(String tenant, String applicationId, KeyType keyType) {
        return claims.get(key(tenant, applicationId, keyType));
    }

    private static String key(String tenant, String applicationId, KeyType keyType) {
        return tenant + "|" + applicationId + "|" + keyType;
    }
}
