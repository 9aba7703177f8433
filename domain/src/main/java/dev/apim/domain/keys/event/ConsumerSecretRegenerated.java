package dev.apim.domain.keys.event;

/** The consumer secret was replaced (present only as its slow hash); the old secret no longer works. */
public record ConsumerSecretRegenerated(String keysId, String consumerKey, String consumerSecretHash) {}
