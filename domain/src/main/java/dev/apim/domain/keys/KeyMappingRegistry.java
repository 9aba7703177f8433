package dev.apim.domain.keys;

/**
 * Port for the set-based rule "at most one live key mapping per application and key type". The command side
 * implements it with a claim table written in the same transaction as the mapping's events, so a refused claim
 * leaves no event and a lost race rolls back whole.
 */
public interface KeyMappingRegistry {

    /**
     * Claims the application's key type for the mapping {@code keysId}, or throws
     * {@code DomainException(KEY_MAPPING_ALREADY_EXIST)} ({@link ApplicationKeys#keyMappingAlreadyExists}).
     */
    void claim(String tenant, String applicationId, KeyType keyType, String keysId);

    /** Releases the claim held by the mapping {@code keysId}; nothing happens when it holds none. */
    void release(String tenant, String applicationId, KeyType keyType, String keysId);
}
