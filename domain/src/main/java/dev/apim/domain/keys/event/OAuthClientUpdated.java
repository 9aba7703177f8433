package dev.apim.domain.keys.event;

import java.util.List;

/** A re-registration changed a client's grant types, callback URL or SaaS flag (all given in full). */
public record OAuthClientUpdated(String clientId, String tenant, String consumerKey, List<String> grantTypes,
                                 String callbackUrl, boolean saasApp) {}
