package dev.apim.domain.keys.event;

/**
 * A registered client was registered again: it keeps its consumer key and gets a new secret (present only as its
 * slow hash); the old secret no longer works.
 */
public record OAuthClientSecretRotated(String clientId, String tenant, String consumerKey,
                                       String consumerSecretHash) {}
