package dev.apim.domain.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The OAuth2 grant types WSO2's key manager knows, and the rules a key mapping's grant types and callback URL
 * follow: a non-empty subset; authorization_code or implicit need an absolute http(s) callback URL without a
 * fragment; refresh_token needs a grant that issues refresh tokens (password or authorization_code).
 */
public final class GrantTypes {

    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String PASSWORD = "password";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String IMPLICIT = "implicit";
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public static final String SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer";
    public static final String IWA_NTLM = "iwa:ntlm";
    public static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

    /** Every supported grant type, in the order events list them. */
    public static final List<String> SUPPORTED = List.of(CLIENT_CREDENTIALS, PASSWORD, REFRESH_TOKEN,
            AUTHORIZATION_CODE, IMPLICIT, JWT_BEARER, SAML2_BEARER, IWA_NTLM, DEVICE_CODE);

    private GrantTypes() {
    }

    /** The requested grant types, checked, without duplicates, in {@link #SUPPORTED} order. */
    public static List<String> normalized(Collection<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw DomainException.of(DomainError.INVALID_GRANT_TYPES, "At least one grant type is required");
        }
        for (String grant : requested) {
            if (grant == null || !SUPPORTED.contains(grant)) {
                throw DomainException.of(DomainError.INVALID_GRANT_TYPES,
                        "Grant type '%s' is not supported; supported are %s", grant, SUPPORTED);
            }
        }
        List<String> grants = SUPPORTED.stream().filter(requested::contains).toList();
        if (grants.contains(REFRESH_TOKEN) && !grants.contains(PASSWORD) && !grants.contains(AUTHORIZATION_CODE)) {
            throw DomainException.of(DomainError.INVALID_GRANT_TYPES,
                    "Grant type 'refresh_token' needs a grant that issues refresh tokens: 'password' or "
                            + "'authorization_code'");
        }
        return grants;
    }

    /**
     * The callback URL, trimmed ({@code null} when blank): required by authorization_code and implicit, and,
     * when given, an absolute http(s) URL without fragment.
     */
    public static String callbackUrl(List<String> grants, String callbackUrl) {
        String url = callbackUrl == null || callbackUrl.isBlank() ? null : callbackUrl.trim();
        if (url == null) {
            if (grants.contains(AUTHORIZATION_CODE) || grants.contains(IMPLICIT)) {
                throw DomainException.of(DomainError.INVALID_CALLBACK_URL,
                        "Grant types 'authorization_code' and 'implicit' need a callback URL");
            }
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw DomainException.of(DomainError.INVALID_CALLBACK_URL, "Callback URL '%s' is not a valid URL", url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !Set.of("http", "https").contains(scheme) || uri.getHost() == null) {
            throw DomainException.of(DomainError.INVALID_CALLBACK_URL,
                    "Callback URL '%s' must be an absolute http or https URL", url);
        }
        if (uri.getRawFragment() != null) {
            throw DomainException.of(DomainError.INVALID_CALLBACK_URL,
                    "Callback URL '%s' must not have a fragment", url);
        }
        return url;
    }
}
