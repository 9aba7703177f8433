package dev.apim.platform.wso2.devportal;

import java.util.List;

/** WSO2 Developer Portal v3's {@code ApplicationKeyList}: the key mappings of an application, without secrets. */
public record ApplicationKeyListDto(int count, List<ApplicationKeyDto> list) {}
