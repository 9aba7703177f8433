package dev.apim.domain.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules every OAuth2 client's credentials follow, whoever owns the client (an application's key mapping or a
 * DCR management client): a consumer key of 16 to 64 URL-safe characters, and the consumer secret only as a slow
 * (Argon2 or BCrypt) hash — a clear secret never reaches the domain.
 */
final class ClientCredentials {

    private static final Pattern CONSUMER_KEY = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final List<String> SLOW_HASH_PREFIXES = List.of("$argon2", "$2a$", "$2b$", "$2y$");

    private ClientCredentials() {
    }

    static void requireConsumerKey(String consumerKey) {
        if (consumerKey == null || !CONSUMER_KEY.matcher(consumerKey).matches()) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "'consumerKey' must be 16 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
    }

    static void requireSlowHash(String hash) {
        if (hash == null || hash.isBlank() || SLOW_HASH_PREFIXES.stream().noneMatch(hash::startsWith)) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "'consumerSecretHash' must be an Argon2 or BCrypt hash; a clear secret is never accepted");
        }
    }
}
