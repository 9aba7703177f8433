package dev.apim.domain.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.command.DeleteOAuthClient;
import dev.apim.domain.keys.command.RegisterOAuthClient;
import dev.apim.domain.keys.event.OAuthClientDeleted;
import dev.apim.domain.keys.event.OAuthClientRegistered;
import dev.apim.domain.keys.event.OAuthClientSecretRotated;
import dev.apim.domain.keys.event.OAuthClientUpdated;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A management OAuth2 client registered through WSO2's DCR ({@code POST /client-registration/v0.17/register}),
 * as the Publisher and Developer Portal UIs and apictl do before asking for tokens. Its id is
 * {@link #idOf(String, String, String)}, derived from tenant, owner and client name, so registering the same name
 * again reaches the same client: WSO2 then answers the existing client's consumer key with a new secret, and so
 * does this aggregate (the secret is rotated; grant types, callback URL and SaaS flag are replaced when they
 * differ). Registration is therefore {@code CREATE_IF_MISSING}, and a deleted client is not
 * {@code markDeleted} (Axon would then try to start its stream again) but flagged, and registers afresh with the
 * new consumer key.
 *
 * <p>Rules: {@code clientName} is 1 to {@value #MAX_NAME_LENGTH} characters of {@code A-Z a-z 0-9 _ . -} (WSO2's
 * own clients are named like {@code rest_api_publisher} or {@code apictl_admin}; spaces, slashes and other
 * characters are refused so the name is safe in logs, ids and URLs); {@code owner} is non-blank, at most 255
 * characters and without control characters; grant types are a non-empty subset of {@link GrantTypes} (with
 * its rules on refresh_token and on a callback URL for authorization_code and implicit); the callback URL is
 * absent or an absolute http(s) URL. Only the owner or an administrator registers a client for an owner.
 */
public class OAuthClient {

    public static final int MAX_NAME_LENGTH = 70;
    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1," + MAX_NAME_LENGTH + "}");

    @AggregateIdentifier
    private String clientId;
    private String tenant;
    private String owner;
    private String consumerKey;
    private String consumerSecretHash;
    private List<String> grantTypes;
    private String callbackUrl;
    private boolean saasApp;
    private boolean deleted;

    protected OAuthClient() {
        // for Axon, and the instance CREATE_IF_MISSING starts from
    }

    /**
     * The id of the client {@code clientName} of {@code owner} in {@code tenant}: {@code oauthclient:} and a
     * name-based UUID of the three (so any owner name fits the event store's identifier column).
     */
    public static String idOf(String tenant, String owner, String clientName) {
        if (tenant == null || owner == null || clientName == null) {
            throw DomainException.of(DomainError.INVALID_OAUTH_CLIENT, "tenant, owner and clientName are required");
        }
        String key = tenant.length() + ":" + tenant + owner.length() + ":" + owner + clientName;
        return "oauthclient:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Registers the client, or rotates its secret when it is registered already; answers the consumer key in effect. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public String handle(RegisterOAuthClient command) {
        require(command.tenant(), "tenant");
        String owner = requireOwner(command.owner());
        String name = command.clientName();
        if (name == null || !CLIENT_NAME.matcher(name).matches()) {
            throw DomainException.of(DomainError.INVALID_OAUTH_CLIENT,
                    "'clientName' must be 1 to %d characters of A-Z, a-z, 0-9, '_', '.' and '-'", MAX_NAME_LENGTH);
        }
        String expectedId = idOf(command.tenant(), owner, name);
        if (!expectedId.equals(command.clientId())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'clientId' must be '%s'", expectedId);
        }
        if (!requester(command.requester()).mayActFor(owner)) {
            throw DomainException.of(DomainError.OAUTH_CLIENT_ACCESS_DENIED,
                    "User %s may not register a client for %s", command.requester().username(), owner);
        }
        ClientCredentials.requireConsumerKey(command.consumerKey());
        ClientCredentials.requireSlowHash(command.consumerSecretHash());
        List<String> grants = GrantTypes.normalized(command.grantTypes());
        String callback = GrantTypes.callbackUrl(grants, command.callbackUrl());

        if (clientId == null || deleted) {
            if (command.consumerKey().equals(consumerKey)) {
                throw DomainException.of(DomainError.INVALID_INPUT,
                        "The consumer key of a deleted client is not given out again");
            }
            apply(new OAuthClientRegistered(command.clientId(), command.tenant(), owner, name, command.consumerKey(),
                    command.consumerSecretHash(), grants, callback, command.saasApp(), TokenLifetimes.defaults()));
            return consumerKey;
        }
        if (!command.consumerSecretHash().equals(consumerSecretHash)) {
            apply(new OAuthClientSecretRotated(clientId, tenant, consumerKey, command.consumerSecretHash()));
        }
        if (!grants.equals(grantTypes) || !Objects.equals(callback, callbackUrl) || command.saasApp() != saasApp) {
            apply(new OAuthClientUpdated(clientId, tenant, consumerKey, grants, callback, command.saasApp()));
        }
        return consumerKey;
    }

    @CommandHandler
    public void handle(DeleteOAuthClient command) {
        if (deleted || !requester(command.requester()).mayActFor(owner)) {
            throw DomainException.of(DomainError.OAUTH_CLIENT_NOT_FOUND, "OAuth client %s not found", clientId);
        }
        apply(new OAuthClientDeleted(clientId, tenant, consumerKey));
    }

    // ---- event-sourcing handlers: assignment only ----

    @EventSourcingHandler
    void on(OAuthClientRegistered event) {
        clientId = event.clientId();
        tenant = event.tenant();
        owner = event.owner();
        consumerKey = event.consumerKey();
        consumerSecretHash = event.consumerSecretHash();
        grantTypes = event.grantTypes();
        callbackUrl = event.callbackUrl();
        saasApp = event.saasApp();
        deleted = false;
    }

    @EventSourcingHandler
    void on(OAuthClientSecretRotated event) {
        consumerSecretHash = event.consumerSecretHash();
    }

    @EventSourcingHandler
    void on(OAuthClientUpdated event) {
        grantTypes = event.grantTypes();
        callbackUrl = event.callbackUrl();
        saasApp = event.saasApp();
    }

    @EventSourcingHandler
    void on(OAuthClientDeleted event) {
        deleted = true;
    }

    // ---- rules ----

    private static String requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw DomainException.of(DomainError.INVALID_OAUTH_CLIENT, "'owner' is required");
        }
        if (owner.length() > 255 || owner.chars().anyMatch(Character::isISOControl) || !owner.equals(owner.strip())) {
            throw DomainException.of(DomainError.INVALID_OAUTH_CLIENT,
                    "'owner' must be at most 255 characters, without control characters or surrounding spaces");
        }
        return owner;
    }

    private static Requester requester(Requester requester) {
        if (requester == null || requester.username() == null || requester.username().isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The requesting user is required");
        }
        return requester;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
    }
}
