package dev.apim.command.keys;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.keys.ApplicationKeys;
import dev.apim.domain.keys.GrantTypes;
import dev.apim.domain.keys.KeyType;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.domain.keys.command.GenerateApplicationKeys;
import dev.apim.domain.keys.command.RegenerateConsumerSecret;
import dev.apim.domain.keys.command.RemoveApplicationKeys;
import dev.apim.domain.keys.command.UpdateApplicationKeys;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.security.PasswordHashing;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.devportal.ApplicationKeyDto;
import dev.apim.platform.wso2.devportal.ApplicationKeyGenerateRequestDto;
import dev.apim.platform.wso2.devportal.ApplicationKeyProperties;
import dev.apim.platform.wso2.devportal.ApplicationKeyReGenerateResponseDto;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Developer Portal v3 key writes on WSO2's paths: generate an application's keys for a key type, change, regenerate
 * the secret of, and remove a key mapping. The clear consumer secret is made here, answered once, and only its
 * Argon2 hash is sent to the aggregate. Another user's application or key mapping answers 404 exactly like a
 * missing one, and nothing is written.
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
@RequestMapping("/api/am/devportal/v3/applications/{applicationId}")
public class KeysCommandController {

    static final String ADMIN_ROLE = "admin";
    static final String KEY_STATE_COMPLETED = "COMPLETED";
    static final String MODE_CREATED = "CREATED";

    private final CommandDispatcher commands;
    private final KeyMappingLookup lookup;

    public KeysCommandController(CommandDispatcher commands, KeyMappingLookup lookup) {
        this.commands = commands;
        this.lookup = lookup;
    }

    @PostMapping(path = "/generate-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApplicationKeyDto>> generate(@PathVariable String applicationId,
                                                            @RequestBody ApplicationKeyGenerateRequestDto body,
                                                            Caller caller, ServerWebExchange exchange) {
        if (body == null) {
            throw ApiException.badRequest("An ApplicationKeyGenerateRequest object is required");
        }
        requireApplicationId(applicationId);
        KeyType keyType = keyType(body.keyType());
        requireResidentKeyManager(body.keyManager());
        List<String> grants = GrantTypes.normalized(body.grantTypesToBeSupported());
        String callback = GrantTypes.callbackUrl(grants, body.callbackUrl());
        TokenLifetimes lifetimes = TokenLifetimes.resolve(
                ApplicationKeyProperties.lifetimes(body.additionalProperties(), body.validityTime()));
        return Mono.fromCallable(() -> {
                    String owner = visibleApplicationOwner(caller, applicationId);
                    // Spares the Argon2 hash of an obvious duplicate; the aggregate's claim decides races.
                    if (lookup.hasKeys(caller.tenant(), applicationId, keyType)) {
                        throw ApplicationKeys.keyMappingAlreadyExists(applicationId, keyType);
                    }
                    return owner;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(owner -> {
                    String keyMappingId = UUID.randomUUID().toString();
                    String keysId = ApplicationKeys.idOf(keyMappingId);
                    String consumerKey = ConsumerCredentials.consumerKey();
                    String secret = ConsumerCredentials.consumerSecret();
                    GenerateApplicationKeys command = new GenerateApplicationKeys(keysId, keyMappingId,
                            caller.tenant(), applicationId, owner, keyType, consumerKey, PasswordHashing.hash(secret),
                            grants, callback, lifetimes, requester(caller));
                    return commands.send(command, caller, exchange)
                            .map(receipt -> ResponseEntity.ok(new ApplicationKeyDto(keyMappingId,
                                    ApplicationKeyDto.RESIDENT_KEY_MANAGER, consumerKey, secret, grants, callback,
                                    KEY_STATE_COMPLETED, keyType.name(), MODE_CREATED, null, null,
                                    ApplicationKeyProperties.of(lifetimes))));
                });
    }

    @PutMapping(path = "/oauth-keys/{keyMappingId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApplicationKeyDto>> update(@PathVariable String applicationId,
                                                          @PathVariable String keyMappingId,
                                                          @RequestBody ApplicationKeyDto body, Caller caller,
                                                          ServerWebExchange exchange) {
        if (body == null) {
            throw ApiException.badRequest("An ApplicationKey object is required");
        }
        List<String> grants = GrantTypes.normalized(body.supportedGrantTypes());
        String callback = GrantTypes.callbackUrl(grants, body.callbackUrl());
        TokenLifetimes lifetimes = TokenLifetimes.resolve(
                ApplicationKeyProperties.lifetimes(body.additionalProperties(), null));
        return mapping(caller, applicationId, keyMappingId)
                .flatMap(mapping -> commands.send(new UpdateApplicationKeys(mapping.keysId(), grants, callback,
                                lifetimes, requester(caller)), caller, exchange)
                        .map(receipt -> ResponseEntity.ok(new ApplicationKeyDto(mapping.keyMappingId(),
                                ApplicationKeyDto.RESIDENT_KEY_MANAGER, mapping.consumerKey(), null, grants, callback,
                                KEY_STATE_COMPLETED, mapping.keyType(), MODE_CREATED, null, null,
                                ApplicationKeyProperties.of(lifetimes))))
                        .onErrorMap(e -> notFound(e, keyMappingId)));
    }

    @PostMapping("/oauth-keys/{keyMappingId}/regenerate-secret")
    public Mono<ResponseEntity<ApplicationKeyReGenerateResponseDto>> regenerateSecret(
            @PathVariable String applicationId, @PathVariable String keyMappingId, Caller caller,
            ServerWebExchange exchange) {
        return mapping(caller, applicationId, keyMappingId)
                .flatMap(mapping -> {
                    String secret = ConsumerCredentials.consumerSecret();
                    return commands.send(new RegenerateConsumerSecret(mapping.keysId(), PasswordHashing.hash(secret),
                                    requester(caller)), caller, exchange)
                            .map(receipt -> ResponseEntity.ok(
                                    new ApplicationKeyReGenerateResponseDto(mapping.consumerKey(), secret)))
                            .onErrorMap(e -> notFound(e, keyMappingId));
                });
    }

    @DeleteMapping("/oauth-keys/{keyMappingId}")
    public Mono<ResponseEntity<Void>> remove(@PathVariable String applicationId, @PathVariable String keyMappingId,
                                             Caller caller, ServerWebExchange exchange) {
        return mapping(caller, applicationId, keyMappingId)
                .flatMap(mapping -> commands.send(new RemoveApplicationKeys(mapping.keysId(), requester(caller)),
                                caller, exchange)
                        .map(receipt -> ResponseEntity.ok().<Void>build())
                        .onErrorMap(e -> notFound(e, keyMappingId)));
    }

    static Requester requester(Caller caller) {
        return new Requester(caller.username(), caller.hasRole(ADMIN_ROLE));
    }

    /** The key mapping when the caller may act on it; a 404 error otherwise (no command is sent). */
    private Mono<KeyMappingLookup.Mapping> mapping(Caller caller, String applicationId, String keyMappingId) {
        return lookup.visibleMapping(caller, applicationId, keyMappingId);
    }

    private String visibleApplicationOwner(Caller caller, String applicationId) {
        return lookup.applicationOwner(caller.tenant(), applicationId)
                .filter(owner -> requester(caller).mayActFor(owner))
                .orElseThrow(() -> applicationNotFound(applicationId));
    }

    private static void requireApplicationId(String applicationId) {
        if (!KeyMappingLookup.UUID_FORM.matcher(applicationId).matches()) {
            throw applicationNotFound(applicationId);
        }
    }

    private static KeyType keyType(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'keyType' is required: PRODUCTION or SANDBOX");
        }
        try {
            return KeyType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'keyType' must be PRODUCTION or SANDBOX");
        }
    }

    private static void requireResidentKeyManager(String keyManager) {
        if (keyManager != null && !keyManager.isBlank() && !keyManager.equals(ApplicationKeyDto.RESIDENT_KEY_MANAGER)
                && !keyManager.equals("default")) {
            throw ApiException.badRequest("'keyManager' must be '" + ApplicationKeyDto.RESIDENT_KEY_MANAGER + "'");
        }
    }

    /** Axon's "no such aggregate" (missing, removed, or another aggregate's stream) reads as WSO2's 404. */
    private static Throwable notFound(Throwable error, String keyMappingId) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AggregateNotFoundException || c instanceof IncompatibleAggregateException) {
                return KeyMappingLookup.mappingNotFound(keyMappingId);
            }
        }
        return error;
    }

    private static DomainException applicationNotFound(String applicationId) {
        return DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found", applicationId);
    }

}
