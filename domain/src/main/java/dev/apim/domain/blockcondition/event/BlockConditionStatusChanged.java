package dev.apim.domain.blockcondition.event;

import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;

/** A deny policy was enabled or disabled; it repeats the condition so a consumer needs no other event. */
public record BlockConditionStatusChanged(String conditionId, String tenant, BlockConditionType conditionType,
                                          BlockConditionValue conditionValue, boolean enabled) {}
