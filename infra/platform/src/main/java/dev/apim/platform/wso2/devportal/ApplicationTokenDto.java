package dev.apim.platform.wso2.devportal;

import java.util.List;

/** WSO2 Developer Portal v3's {@code ApplicationToken}. */
public record ApplicationTokenDto(String accessToken, List<String> tokenScopes, long validityTime) {}
