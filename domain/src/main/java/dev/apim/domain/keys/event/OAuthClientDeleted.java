package dev.apim.domain.keys.event;

/** A management client was deleted: its credentials no longer work and its tokens are dead. */
public record OAuthClientDeleted(String clientId, String tenant, String consumerKey) {}
