package dev.apim.platform.wso2.devportal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * WSO2 Developer Portal v3's {@code ApplicationKey}: one key mapping of an application. {@code consumerSecret} is
 * the clear secret only in the answer that created it (generate); everywhere else it is absent. As a request (the
 * PUT of a key mapping) only {@code supportedGrantTypes}, {@code callbackUrl} and {@code additionalProperties}
 * are read; the server-set fields are accepted and ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true, allowGetters = true, value = {"keyMappingId", "keyManager",
        "consumerKey", "consumerSecret", "keyState", "keyType", "mode", "groupId", "token"})
public record ApplicationKeyDto(
        String keyMappingId,
        String keyManager,
        String consumerKey,
        @JsonInclude(JsonInclude.Include.NON_NULL) String consumerSecret,
        List<String> supportedGrantTypes,
        String callbackUrl,
        String keyState,
        String keyType,
        String mode,
        String groupId,
        Object token,
        Map<String, Object> additionalProperties) {

    /** The only key manager: this server's own. */
    public static final String RESIDENT_KEY_MANAGER = "Resident Key Manager";
    public static final String APPLICATION_ACCESS_TOKEN_EXPIRY = "application_access_token_expiry_time";
    public static final String USER_ACCESS_TOKEN_EXPIRY = "user_access_token_expiry_time";
    public static final String REFRESH_TOKEN_EXPIRY = "refresh_token_expiry_time";
    public static final String ID_TOKEN_EXPIRY = "id_token_expiry_time";
}
