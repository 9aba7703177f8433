package dev.apim.domain.blockcondition;

/**
 * Port for the set-based rule "one deny policy per tenant, type and value". The command side implements it
 * with a constraint table written in the same transaction as the events.
 */
public interface BlockConditionRegistry {

    /** Claims the value for the condition, or throws {@code DomainException(BLOCK_CONDITION_ALREADY_EXISTS)}. */
    void claim(String tenant, BlockConditionType type, String valueKey, String conditionId);

    /** Releases the value held by the condition; releasing one it does not hold does nothing. */
    void release(String tenant, BlockConditionType type, String valueKey, String conditionId);
}
