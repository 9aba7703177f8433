package dev.apim.domain.api;

/**
 * Port for the set-based rule "context + version is unique per tenant". The command side implements it
 * with a constraint table written in the same transaction as the events, so a refused claim leaves no event.
 */
public interface ApiContextRegistry {

    /** Claims the pair for the API, or throws {@code DomainException(API_CONTEXT_ALREADY_EXISTS)}. */
    void claim(String tenant, String context, String version, String apiId);

    /** Releases the pair held by the API; releasing a pair it does not hold does nothing. */
    void release(String tenant, String context, String version, String apiId);
}
