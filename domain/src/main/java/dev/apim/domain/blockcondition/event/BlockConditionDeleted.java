package dev.apim.domain.blockcondition.event;

import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;

/** A deny policy was removed; it names the condition so a gateway can drop it without a lookup. */
public record BlockConditionDeleted(String conditionId, String tenant, BlockConditionType conditionType,
                                    BlockConditionValue conditionValue) {}
