package dev.apim.domain.keys.command;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.TokenLifetimes;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Generates the keys of an application for one key type as a new key mapping. {@code keyMappingId} is WSO2's key
 * mapping UUID, fresh for each generation, and {@code keysId} must be {@code ApplicationKeys.idOf(keyMappingId)}. The
 * command side makes the consumer key and secret, returns the clear secret once, and sends only its slow hash.
 * {@code lifetimes} may be null (WSO2's defaults).
 */
public record GenerateApplicationKeys(@TargetAggregateIdentifier String keysId, String keyMappingId, String tenant,
                                      String applicationId, String applicationOwner, KeyType keyType,
                                      String consumerKey, String consumerSecretHash, List<String> grantTypes,
                                      String callbackUrl, TokenLifetimes lifetimes, Requester requester) {}
