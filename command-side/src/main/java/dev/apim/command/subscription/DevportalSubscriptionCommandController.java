package dev.apim.command.subscription;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog;
import dev.apim.domain.common.Requester;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.command.ChangeSubscriptionTier;
import dev.apim.domain.subscription.command.CreateSubscription;
import dev.apim.domain.subscription.command.DeleteSubscription;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.devportal.SubscriptionDto;
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

import java.net.URI;
import java.util.Map;
import java.util.UUID;

/**
 * Developer Portal v3 subscription writes on WSO2's paths. The caller subscribes their own applications
 * (an administrator any of the tenant's); another user's application or subscription answers 404 exactly like a
 * missing one, and nothing is written.
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
@RequestMapping("/api/am/devportal/v3")
public class DevportalSubscriptionCommandController {

    static final String ADMIN_ROLE = "admin";
    static final int MAX_TIER_LENGTH = 255;

    private final CommandDispatcher commands;
    private final SubscriptionAccess access;
    private final ThrottlePolicyCatalog policies;

    public DevportalSubscriptionCommandController(CommandDispatcher commands, SubscriptionAccess access,
                                                  ThrottlePolicyCatalog policies) {
        this.commands = commands;
        this.access = access;
        this.policies = policies;
    }

    @PostMapping(path = "/subscriptions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<SubscriptionDto>> create(@RequestBody SubscriptionDto body, Caller caller,
                                                        ServerWebExchange exchange) {
        if (body == null) {
            throw ApiException.badRequest("A Subscription object is required");
        }
        String apiId = required(body.apiId(), "apiId");
        String applicationId = required(body.applicationId(), "applicationId");
        String tier = tier(body.throttlingPolicy());
        if (!SubscriptionAccess.wellFormed(applicationId)) {
            throw DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found", applicationId);
        }
        if (!SubscriptionAccess.wellFormed(apiId)) {
            throw DomainException.of(DomainError.API_NOT_FOUND, "Requested API with id '%s' not found", apiId);
        }
        String subscriptionId = UUID.randomUUID().toString();
        return commands.send(new CreateSubscription(subscriptionId, caller.tenant(), apiId, applicationId, tier,
                        requester(caller)), caller, exchange)
                .then(access.describe(caller.tenant(), subscriptionId)
                        .switchIfEmpty(Mono.fromSupplier(() -> created(caller, subscriptionId, apiId, applicationId,
                                tier)).subscribeOn(Schedulers.boundedElastic())))
                .map(dto -> ResponseEntity.created(URI.create(exchange.getRequest().getPath().value() + "/"
                        + subscriptionId)).body(dto));
    }

    @PutMapping(path = "/subscriptions/{subscriptionId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<SubscriptionDto>> update(@PathVariable String subscriptionId,
                                                        @RequestBody SubscriptionDto body, Caller caller,
                                                        ServerWebExchange exchange) {
        if (body == null) {
            throw ApiException.badRequest("A Subscription object is required");
        }
        String tier = tier(body.requestedTier());
        return visible(caller, subscriptionId)
                .then(commands.send(new ChangeSubscriptionTier(subscriptionId, tier, requester(caller)), caller,
                        exchange))
                .then(describe(caller, subscriptionId, body.apiId(), body.applicationId(), tier))
                .map(ResponseEntity::ok)
                .onErrorMap(e -> SubscriptionCommandConfiguration.notFound(e, subscriptionId));
    }

    @DeleteMapping("/subscriptions/{subscriptionId}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String subscriptionId, Caller caller,
                                             ServerWebExchange exchange) {
        return visible(caller, subscriptionId)
                .then(commands.send(new DeleteSubscription(subscriptionId, requester(caller)), caller, exchange))
                .map(receipt -> ResponseEntity.ok().<Void>build())
                .onErrorMap(e -> SubscriptionCommandConfiguration.notFound(e, subscriptionId));
    }

    static Requester requester(Caller caller) {
        return new Requester(caller.username(), caller.hasRole(ADMIN_ROLE));
    }

    /** Empty when the caller may act on the subscription; a 404 error otherwise (no command is sent). */
    private Mono<Void> visible(Caller caller, String subscriptionId) {
        return access.visible(caller.tenant(), subscriptionId, caller.hasRole(ADMIN_ROLE) ? null : caller.username())
                .switchIfEmpty(Mono.error(() -> SubscriptionCommandConfiguration.notFoundError(subscriptionId)))
                .then();
    }

    private Mono<SubscriptionDto> describe(Caller caller, String subscriptionId, String apiId, String applicationId,
                                           String tier) {
        return access.describe(caller.tenant(), subscriptionId)
                .switchIfEmpty(Mono.fromSupplier(() -> new SubscriptionDto(subscriptionId, applicationId, apiId, null,
                        null, tier, null, null, Map.of())));
    }

    /**
     * The new subscription without its read-model details (only when the read models are not awaited): its
     * status follows from the tier, as the aggregate decided.
     */
    private SubscriptionDto created(Caller caller, String subscriptionId, String apiId, String applicationId,
                                    String tier) {
        var policy = policies.find(caller.tenant(), ThrottlePolicyCatalog.Level.SUBSCRIPTION, tier);
        String status = policy.map(p -> p.requiresApproval() ? SubscriptionStatus.ON_HOLD : SubscriptionStatus.UNBLOCKED)
                .map(Enum::name).orElse(null);
        return new SubscriptionDto(subscriptionId, applicationId, apiId, null, null,
                policy.map(ThrottlePolicyCatalog.PolicyRef::name).orElse(tier), null, status, Map.of());
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return value.trim();
    }

    private static String tier(String value) {
        String tier = required(value, "throttlingPolicy");
        if (tier.length() > MAX_TIER_LENGTH) {
            throw ApiException.badRequest("'throttlingPolicy' must be at most " + MAX_TIER_LENGTH + " characters");
        }
        return tier;
    }
}
