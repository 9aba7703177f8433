package dev.apim.domain.keys.command;

import dev.apim.domain.common.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Registers a management client through WSO2's DCR ({@code POST /client-registration/v0.17/register}).
 * {@code clientId} must be {@code OAuthClient.idOf(tenant, owner, clientName)}, so registering the same name for
 * the same owner again reaches the same client: an active one keeps its consumer key and gets the new secret
 * (given, as always, only as its slow hash); a deleted one is registered afresh with {@code consumerKey}. The
 * command side makes the consumer key and secret; the handler answers the consumer key in effect.
 * {@code grantTypes} are DCR's space-separated {@code grantType}, already split. Only the owner or an
 * administrator may register a client for {@code owner}.
 */
public record RegisterOAuthClient(@TargetAggregateIdentifier String clientId, String tenant, String owner,
                                  String clientName, String consumerKey, String consumerSecretHash,
                                  List<String> grantTypes, String callbackUrl, boolean saasApp,
                                  Requester requester) {}
