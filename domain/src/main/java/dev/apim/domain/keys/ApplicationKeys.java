package dev.apim.domain.keys;

import dev.apim.domain.common.Requester;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.keys.command.GenerateApplicationKeys;
import dev.apim.domain.keys.command.RegenerateConsumerSecret;
import dev.apim.domain.keys.command.RemoveApplicationKeys;
import dev.apim.domain.keys.command.RevokeApplicationKeys;
import dev.apim.domain.keys.command.UpdateApplicationKeys;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.ApplicationKeysUpdated;
import dev.apim.domain.keys.event.ConsumerSecretRegenerated;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * The OAuth2 keys of one application for one key type (WSO2's key mapping): a consumer key, the slow hash of
 * the consumer secret (the clear secret never reaches the domain), grant types, callback URL and token
 * lifetimes. Its id is {@link #idOf(String, KeyType)}, so the event store's unique stream start guarantees one
 * mapping per application and key type; generating is the constructor, so a second generate cannot be applied
 * to an existing mapping. Only the application's owner or an administrator may change it; to anyone else it
 * does not exist. The system revokes it (keys stop working, the mapping stays for audit); the owner removes it.
 */
public class ApplicationKeys {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @AggregateIdentifier
    private String keysId;
    private String applicationId;
    private String owner;
    private String consumerKey;
    private String consumerSecretHash;
    private List<String> grantTypes;
    private String callbackUrl;
    private TokenLifetimes lifetimes;
    private boolean revoked;

    protected ApplicationKeys() {
        // for Axon
    }

    /** The id of the key mapping of an application for a key type: {@code keys:<applicationId>:<TYPE>}. */
    public static String idOf(String applicationId, KeyType keyType) {
        return "keys:" + applicationId + ":" + keyType.name();
    }

    /**
     * What a second generate for the same application and key type is told. The domain cannot see it (the
     * generate handler is the constructor, so it never runs against an existing mapping): the command side
     * translates the event store's refusal to start the stream {@code keysId} again into this error.
     */
    public static DomainException keyMappingAlreadyExists(String keysId) {
        String[] parts = keysId.split(":");
        String application = parts.length == 3 ? parts[1] : keysId;
        String keyType = parts.length == 3 ? parts[2] : "";
        return DomainException.of(DomainError.KEY_MAPPING_ALREADY_EXIST,
                "Key mappings already exist for application %s and key type %s", application, keyType);
    }

    @CommandHandler
    public ApplicationKeys(GenerateApplicationKeys command) {
        require(command.keysId(), "keysId");
        require(command.tenant(), "tenant");
        require(command.applicationId(), "applicationId");
        require(command.applicationOwner(), "applicationOwner");
        if (command.keyType() == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'keyType' is required: PRODUCTION or SANDBOX");
        }
        if (!command.keysId().equals(idOf(command.applicationId(), command.keyType()))) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'keysId' must be '%s'",
                    idOf(command.applicationId(), command.keyType()));
        }
        if (!requester(command.requester()).mayActFor(command.applicationOwner())) {
            throw DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found",
                    command.applicationId());
        }
        if (command.keyMappingId() == null || !UUID.matcher(command.keyMappingId()).matches()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'keyMappingId' must be a UUID");
        }
        ClientCredentials.requireConsumerKey(command.consumerKey());
        ClientCredentials.requireSlowHash(command.consumerSecretHash());
        List<String> grants = GrantTypes.normalized(command.grantTypes());
        String callback = GrantTypes.callbackUrl(grants, command.callbackUrl());
        TokenLifetimes resolved = TokenLifetimes.resolve(command.lifetimes());
        apply(new ApplicationKeysGenerated(command.keysId(), command.keyMappingId(), command.tenant(),
                command.applicationId(), command.applicationOwner(), command.keyType(), command.consumerKey(),
                command.consumerSecretHash(), grants, callback, resolved));
    }

    @CommandHandler
    public void handle(RegenerateConsumerSecret command) {
        requireAccess(command.requester());
        requireNotRevoked();
        ClientCredentials.requireSlowHash(command.consumerSecretHash());
        if (command.consumerSecretHash().equals(consumerSecretHash)) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "The new consumer secret hash is the current one; a regenerated secret must be new");
        }
        apply(new ConsumerSecretRegenerated(keysId, consumerKey, command.consumerSecretHash()));
    }

    @CommandHandler
    public void handle(UpdateApplicationKeys command) {
        requireAccess(command.requester());
        requireNotRevoked();
        List<String> grants = GrantTypes.normalized(command.grantTypes());
        String callback = GrantTypes.callbackUrl(grants, command.callbackUrl());
        TokenLifetimes resolved = TokenLifetimes.resolve(command.lifetimes());
        if (grants.equals(grantTypes) && Objects.equals(callback, callbackUrl) && resolved.equals(lifetimes)) {
            return;
        }
        apply(new ApplicationKeysUpdated(keysId, consumerKey, grants, callback, resolved));
    }

    @CommandHandler
    public void handle(RevokeApplicationKeys command) {
        if (revoked) {
            return;
        }
        String reason = command.reason() == null || command.reason().isBlank() ? null : command.reason().trim();
        apply(new ApplicationKeysRevoked(keysId, consumerKey, applicationId, reason));
    }

    @CommandHandler
    public void handle(RemoveApplicationKeys command) {
        requireAccess(command.requester());
        apply(new ApplicationKeysRemoved(keysId, consumerKey, applicationId));
    }

    // ---- event-sourcing handlers: assignment only ----

    @EventSourcingHandler
    void on(ApplicationKeysGenerated event) {
        keysId = event.keysId();
        applicationId = event.applicationId();
        owner = event.applicationOwner();
        consumerKey = event.consumerKey();
        consumerSecretHash = event.consumerSecretHash();
        grantTypes = event.grantTypes();
        callbackUrl = event.callbackUrl();
        lifetimes = event.lifetimes();
    }

    @EventSourcingHandler
    void on(ConsumerSecretRegenerated event) {
        consumerSecretHash = event.consumerSecretHash();
    }

    @EventSourcingHandler
    void on(ApplicationKeysUpdated event) {
        grantTypes = event.grantTypes();
        callbackUrl = event.callbackUrl();
        lifetimes = event.lifetimes();
    }

    @EventSourcingHandler
    void on(ApplicationKeysRevoked event) {
        revoked = true;
    }

    @EventSourcingHandler
    void on(ApplicationKeysRemoved event) {
        markDeleted();
    }

    // ---- rules ----

    private void requireAccess(Requester requester) {
        if (!requester(requester).mayActFor(owner)) {
            throw DomainException.of(DomainError.APPLICATION_KEY_MAPPING_NOT_FOUND, "Key mapping %s not found",
                    keysId);
        }
    }

    private void requireNotRevoked() {
        if (revoked) {
            throw DomainException.of(DomainError.APPLICATION_KEYS_REVOKED,
                    "The keys %s are revoked and can no longer change; remove them and generate new keys", keysId);
        }
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
