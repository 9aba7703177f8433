package dev.apim.platform.wso2.devportal;

import java.util.List;
import java.util.Map;

/**
 * WSO2 Developer Portal v3's {@code ApplicationTokenGenerateRequest}: a client-credentials token for a key
 * mapping, proven by its consumer secret. {@code validityPeriod} is in seconds (the key mapping's lifetime when
 * absent or not positive); {@code revokeToken} is an earlier token of this key mapping to revoke first.
 */
public record ApplicationTokenGenerateRequestDto(String consumerSecret, Long validityPeriod, List<String> scopes,
                                                 String revokeToken, String grantType,
                                                 Map<String, Object> additionalProperties) {}
