package dev.apim.domain.blockcondition;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.HashMap;
import java.util.Map;

/** The uniqueness port in memory, for fixture tests. */
final class InMemoryBlockConditionRegistry implements BlockConditionRegistry {

    private final Map<String, String> claims = new HashMap<>();

    @Override
    public void claim(String tenant, BlockConditionType type, String valueKey, String conditionId) {
        if (claims.putIfAbsent(tenant + "|" + type + "|" + valueKey, conditionId) != null) {
            throw DomainException.of(DomainError.BLOCK_CONDITION_ALREADY_EXISTS, "exists");
        }
    }

    @Override
    public void release(String tenant, BlockConditionType type, String valueKey, String conditionId) {
        claims.remove(tenant + "|" + type + "|" + valueKey, conditionId);
    }

    boolean holds(String tenant, BlockConditionType type, String valueKey) {
        return claims.containsKey(tenant + "|" + type + "|" + valueKey);
    }
}
