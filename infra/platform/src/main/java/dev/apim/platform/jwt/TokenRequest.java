package dev.apim.platform.jwt;

import dev.apim.domain.keys.KeyType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the Key Manager wants in an access token.
 *
 * @param subject            {@code sub}: the end user, or the application owner for client credentials
 * @param audience           {@code aud}: WSO2 puts the consumer key here (a single string)
 * @param authorizedParty    {@code azp}: the consumer key
 * @param scopes             granted scopes, emitted space-separated as {@code scope}
 * @param keyType            {@code keytype}
 * @param authorizedUserType {@code aut}
 * @param application        {@code application}; null for tokens of management (DCR) clients, which carry none
 * @param lifetime           {@code exp - iat}
 */
public record TokenRequest(String subject, String audience, String authorizedParty, List<String> scopes,
                           KeyType keyType, AuthorizedUserType authorizedUserType, ApplicationClaim application,
                           Duration lifetime) {

    public TokenRequest {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(authorizedParty, "authorizedParty");
        scopes = List.copyOf(scopes == null ? List.of() : scopes);
        for (String s : scopes) {
            if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("scope must be a non-blank token without spaces: '" + s + "'");
            }
        }
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(authorizedUserType, "authorizedUserType");
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive");
        }
    }
}
