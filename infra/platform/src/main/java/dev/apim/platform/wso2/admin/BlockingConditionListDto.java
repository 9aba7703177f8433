package dev.apim.platform.wso2.admin;

import java.util.List;

/** WSO2's {@code BlockingConditionList}. */
public record BlockingConditionListDto(int count, List<BlockingConditionDto> list) {}
