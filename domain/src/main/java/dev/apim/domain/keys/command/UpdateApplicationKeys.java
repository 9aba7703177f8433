package dev.apim.domain.keys.command;

import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.TokenLifetimes;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Replaces the grant types, callback URL and token lifetimes of a key mapping (a full replacement, as WSO2's
 * PUT: missing lifetimes take WSO2's defaults). Identical values write nothing.
 */
public record UpdateApplicationKeys(@TargetAggregateIdentifier String keysId, List<String> grantTypes,
                                    String callbackUrl, TokenLifetimes lifetimes, Requester requester) {}
