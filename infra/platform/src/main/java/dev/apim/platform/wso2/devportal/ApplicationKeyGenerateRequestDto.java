package dev.apim.platform.wso2.devportal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/**
 * WSO2 Developer Portal v3's {@code ApplicationKeyGenerateRequest}. {@code validityTime} is the application access
 * token lifetime unless {@code additionalProperties} names it; {@code scopes} are accepted and not modelled yet.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplicationKeyGenerateRequestDto(
        String keyType,
        List<String> grantTypesToBeSupported,
        String callbackUrl,
        Long validityTime,
        List<String> scopes,
        String keyManager,
        Map<String, Object> additionalProperties) {}
