package dev.apim.domain.blockcondition.event;

import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;

/** A deny policy exists; everything a gateway needs to enforce it (the value in canonical form). */
public record BlockConditionCreated(String conditionId, String tenant, BlockConditionType conditionType,
                                    BlockConditionValue conditionValue, boolean enabled) {}
