package dev.apim.domain.keys.event;

/** A key mapping was revoked by the system: its keys no longer work; the mapping remains for audit. */
public record ApplicationKeysRevoked(String keysId, String consumerKey, String applicationId, String reason) {}
