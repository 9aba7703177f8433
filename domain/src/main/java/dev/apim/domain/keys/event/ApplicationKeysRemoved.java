package dev.apim.domain.keys.event;

/** A key mapping was removed by its owner: its keys no longer work and the mapping is gone. */
public record ApplicationKeysRemoved(String keysId, String consumerKey, String applicationId) {}
