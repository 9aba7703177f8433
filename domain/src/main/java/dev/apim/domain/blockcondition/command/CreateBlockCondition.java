package dev.apim.domain.blockcondition.command;

import dev.apim.domain.blockcondition.BlockConditionValue;

/** Creates a deny policy; {@code conditionType} is WSO2's name, checked by the aggregate. */
public record CreateBlockCondition(String conditionId, String tenant, String conditionType,
                                   BlockConditionValue conditionValue, boolean enabled) {}
