package dev.apim.domain.keys.event;

import dev.apim.domain.keys.TokenLifetimes;

import java.util.List;

/**
 * A management client was registered through DCR (first time, or again after it was deleted, then with a new
 * consumer key). The consumer secret is present only as its slow hash; the lifetimes are resolved (WSO2's defaults).
 */
public record OAuthClientRegistered(String clientId, String tenant, String owner, String clientName,
                                    String consumerKey, String consumerSecretHash, List<String> grantTypes,
                                    String callbackUrl, boolean saasApp, TokenLifetimes lifetimes) {}
