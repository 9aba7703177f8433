package dev.apim.gateway.model;

import dev.apim.domain.keys.KeyType;

/** Which application a consumer key belongs to, and for which key type. */
public record KeyMapping(String consumerKey, String applicationId, String tenant, KeyType keyType, boolean active) {}
