package dev.apim.domain.api;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The context+version uniqueness rule held in a map, as the constraint table holds it in production. */
final class InMemoryApiContextRegistry implements ApiContextRegistry {

    private final Map<String, String> owners = new HashMap<>();

    @Override
    public void claim(String tenant, String context, String version, String apiId) {
        String owner = owners.putIfAbsent(key(tenant, context, version), apiId);
        if (owner != null && !owner.equals(apiId)) {
            throw DomainException.of(DomainError.API_CONTEXT_ALREADY_EXISTS,
                    "Context '%s' version '%s' is already used by API %s", context, version, owner);
        }
    }

    @Override
    public void release(String tenant, String context, String version, String apiId) {
        owners.remove(key(tenant, context, version), apiId);
    }

    Optional<String> owner(String tenant, String context, String version) {
        return Optional.ofNullable(owners.get(key(tenant, context, version)));
    }

    private static String key(String tenant, String context, String version) {
        return tenant + '\u0000' + context + '\u0000' + version;
    }
}
