package dev.apim.domain.keys.event;

import dev.apim.domain.keys.TokenLifetimes;

import java.util.List;

/** A key mapping's grant types, callback URL and token lifetimes changed (all three are given in full). */
public record ApplicationKeysUpdated(String keysId, String consumerKey, List<String> grantTypes, String callbackUrl,
                                     TokenLifetimes lifetimes) {}
