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
 * lifetimes. Each generation is a new aggregate with its own id ({@link #idOf(String)}, from the key mapping's
 * UUID); "at most one live mapping per application and key type" is the {@link KeyMappingRegistry} claim, taken
 * when the keys are generated and released when the mapping is removed, so an application may generate keys of a
 * type again after removing the previous ones (as WSO2 allows). Mappings generated before that rule carry the
 * older id {@code keys:<applicationId>:<TYPE>}; ids are opaque, so both forms are served alike. Only the
 * application's owner or an administrator may change it; to anyone else it does not exist. The system revokes it
 * (keys stop working, the mapping stays for audit and keeps its claim: its application is gone); the owner
 * removes it.
 */
public class ApplicationKeys {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @AggregateIdentifier
    private String keysId;
    private String tenant;
    private String applicationId;
    private KeyType keyType;
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

    /** The id of a newly generated key mapping: {@code keys:<keyMappingId>}, so every generation has its own. */
    public static String idOf(String keyMappingId) {
        return "keys:" + keyMappingId;
    }

    /** What a generate is told while the application still has live keys of that type (WSO2's 409). */
    public static DomainException keyMappingAlreadyExists(String applicationId, KeyType keyType) {
        return DomainException.of(DomainError.KEY_MAPPING_ALREADY_EXIST,
                "Key mappings already exist for application %s and key type %s", applicationId, keyType);
    }

    @CommandHandler
    public ApplicationKeys(GenerateApplicationKeys command, KeyMappingRegistry registry) {
        require(command.keysId(), "keysId");
        require(command.tenant(), "tenant");
        require(command.applicationId(), "applicationId");
        require(command.applicationOwner(), "applicationOwner");
        if (command.keyType() == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'keyType' is required: PRODUCTION or SANDBOX");
        }
        if (!requester(command.requester()).mayActFor(command.applicationOwner())) {
            throw DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found",
                    command.applicationId());
        }
        if (command.keyMappingId() == null || !UUID.matcher(command.keyMappingId()).matches()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'keyMappingId' must be a UUID");
        }
        if (!command.keysId().equals(idOf(command.keyMappingId()))) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'keysId' must be '%s'",
                    idOf(command.keyMappingId()));
        }
        ClientCredentials.requireConsumerKey(command.consumerKey());
        ClientCredentials.requireSlowHash(command.consumerSecretHash());
        List<String> grants = GrantTypes.normalized(command.grantTypes());
        String callback = GrantTypes.callbackUrl(grants, command.callbackUrl());
        TokenLifetimes resolved = TokenLifetimes.resolve(command.lifetimes());
        registry.claim(command.tenant(), command.applicationId(), command.keyType(), command.keysId());
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

    /** Removing releases the application's key type, so new keys of that type may be generated. */
    @CommandHandler
    public void handle(RemoveApplicationKeys command, KeyMappingRegistry registry) {
        requireAccess(command.requester());
        registry.release(tenant, applicationId, keyType, keysId);
        apply(new ApplicationKeysRemoved(keysId, consumerKey, applicationId));
    }

    // ---- event-sourcing handlers: assignment only ----

    @EventSourcingHandler
    void on(ApplicationKeysGenerated event) {
        keysId = event.keysId();
        tenant = event.tenant();
        applicationId = event.applicationId();
        keyType = event.keyType();
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
