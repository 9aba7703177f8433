package dev.apim.platform.wso2.devportal;

import java.util.List;

/** WSO2 Developer Portal v3's {@code ApplicationList}: a page of applications with its pagination. */
public record ApplicationListDto(int count, List<ApplicationInfoDto> list, Pagination pagination) {

    /** WSO2's {@code Pagination}. */
    public record Pagination(int offset, int limit, long total, String next, String previous) {}
}
