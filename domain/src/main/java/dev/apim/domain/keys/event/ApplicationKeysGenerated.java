package dev.apim.domain.keys.event;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.TokenLifetimes;

import java.util.List;

/** An application got keys of one type. The consumer secret is present only as its slow hash. */
public record ApplicationKeysGenerated(String keysId, String keyMappingId, String tenant, String applicationId,
                                       String applicationOwner, KeyType keyType, String consumerKey,
                                       String consumerSecretHash, List<String> grantTypes, String callbackUrl,
                                       TokenLifetimes lifetimes) {}
