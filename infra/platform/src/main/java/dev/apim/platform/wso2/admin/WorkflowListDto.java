package dev.apim.platform.wso2.admin;

import java.util.List;

/** WSO2's Admin v4 {@code WorkflowList}. */
public record WorkflowListDto(int count, List<WorkflowInfoDto> list, Pagination pagination) {

    /** WSO2's {@code Pagination}. */
    public record Pagination(int offset, int limit, long total, String next, String previous) {}
}
