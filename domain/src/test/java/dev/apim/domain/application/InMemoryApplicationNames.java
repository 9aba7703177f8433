package dev.apim.domain.application;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The per-owner name uniqueness rule held in a map, as the constraint table holds it in production. */
final class InMemoryApplicationNames implements ApplicationNameRegistry {

    private final Map<String, String> holders = new HashMap<>();

    @Override
    public void claim(String tenant, String owner, String name, String applicationId) {
        String holder = holders.putIfAbsent(key(tenant, owner, name), applicationId);
        if (holder != null && !holder.equals(applicationId)) {
            throw DomainException.of(DomainError.APPLICATION_ALREADY_EXISTS, "Application '%s' already exists", name);
        }
    }

    @Override
    public void release(String tenant, String owner, String name, String applicationId) {
        holders.remove(key(tenant, owner, name), applicationId);
    }

    Optional<String> holder(String tenant, String owner, String name) {
        return Optional.ofNullable(holders.get(key(tenant, owner, name)));
    }

    private static String key(String tenant, String owner, String name) {
        return tenant + '\u0000' + owner + '\u0000' + name.toLowerCase(Locale.ROOT);
    }
}
