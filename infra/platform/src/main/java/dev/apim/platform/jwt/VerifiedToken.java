package dev.apim.platform.jwt;

import dev.apim.domain.keys.KeyType;
import java.time.Instant;
import java.util.Set;

/**
 * A token that passed every check. {@code keyType}, {@code authorizedUserType} and {@code application} are
 * null when the token does not carry them.
 */
public record VerifiedToken(String subject, String authorizedParty, Set<String> scopes, KeyType keyType,
                            AuthorizedUserType authorizedUserType, ApplicationClaim application, String jti,
                            Set<String> audience, String keyId, Instant issuedAt, Instant expiresAt) {

    public VerifiedToken {
        scopes = Set.copyOf(scopes);
        audience = Set.copyOf(audience);
    }
}
