package dev.apim.platform.wso2.devportal;

/** WSO2 Developer Portal v3's {@code ApplicationKeyReGenerateResponse}: the new clear secret, shown once. */
public record ApplicationKeyReGenerateResponseDto(String consumerKey, String consumerSecret) {}
