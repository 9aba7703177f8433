package dev.apim.command.policy;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.domain.policy.command.CreateThrottlePolicy;
import dev.apim.domain.policy.command.DeleteThrottlePolicy;
import dev.apim.domain.policy.command.UpdateThrottlePolicy;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.admin.AdminAccess;
import dev.apim.platform.wso2.admin.AdvancedThrottlePolicyDto;
import dev.apim.platform.wso2.admin.ApplicationThrottlePolicyDto;
import dev.apim.platform.wso2.admin.SubscriptionThrottlePolicyDto;
import dev.apim.platform.wso2.admin.ThrottlePolicyDtoMapper;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admin v4 throttling policy writes on WSO2's paths (application, subscription and advanced levels), for
 * callers with the {@code admin} role. The admin portal is served by the Publisher role.
 */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/throttling/policies")
public class AdminPolicyCommandController {

    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"?(\\d{1,18})\"?$");
    private static final Pattern POLICY_ID = Pattern.compile("^[0-9A-Fa-f-]{1,64}$");

    private final CommandDispatcher commands;
    private final ThrottlePolicyClaims claims;

    public AdminPolicyCommandController(CommandDispatcher commands, ThrottlePolicyClaims claims) {
        this.commands = commands;
        this.claims = claims;
    }

    // ---- application ----

    @PostMapping(path = "/application", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApplicationThrottlePolicyDto>> createApplication(
            @RequestBody ApplicationThrottlePolicyDto body, Caller caller, ServerWebExchange exchange) {
        AdminAccess.require(caller);
        return create(Level.APPLICATION, ThrottlePolicyDtoMapper.toDefinition(body), "application",
                ThrottlePolicyDtoMapper::application, caller, exchange);
    }

    @PutMapping(path = "/application/{policyId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApplicationThrottlePolicyDto>> updateApplication(
            @PathVariable String policyId, @RequestBody ApplicationThrottlePolicyDto body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            Caller caller, ServerWebExchange exchange) {
        AdminAccess.require(caller);
        return update(Level.APPLICATION, policyId, ifMatch, ThrottlePolicyDtoMapper.toDefinition(body),
                ThrottlePolicyDtoMapper::application, caller, exchange);
    }

    @DeleteMapping("/application/{policyId}")
    public Mono<ResponseEntity<Void>> deleteApplication(@PathVariable String policyId,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            Caller caller, ServerWebExchange exchange) {
        return delete(Level.APPLICATION, policyId, ifMatch, caller, exchange);
    }

    // ---- subscription ----

    @PostMapping(path = "/subscription", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<SubscriptionThrottlePolicyDto>> createSubscription(
            @RequestBody SubscriptionThrottlePolicyDto body, Caller caller, ServerWebExchange exchange) {
        AdminAccess.require(caller);
        return create(Level.SUBSCRIPTION, ThrottlePolicyDtoMapper.toDefinition(body), "subscription",
                ThrottlePolicyDtoMapper::subscription, caller, exchange);
    }

    @PutMapping(path = "/subscription/{policyId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<SubscriptionThrottlePolicyDto>> updateSubscription(
            @PathVariable String policyId, @RequestBody SubscriptionThrottlePolicyDto body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            Caller caller, ServerWebExchange exchange) {
        AdminAccess.require(caller);
        return update(Level.SUBSCRIPTION, policyId, ifMatch, ThrottlePolicyDtoMapper.toDefinition(body),
                ThrottlePolicyDtoMapper::subscription, caller, exchange);
    }

    @DeleteMapping("/subscription/{policyId}")
    public Mono<ResponseEntity<Void>> deleteSubscription(@PathVariable String policyId,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            Caller caller, ServerWebExchange exchange) {
        return delete(Level.SUBSCRIPTION, policyId, ifMatch, caller, exchange);
    }

    // ---- advanced (API level) ----

    @PostMapping(path = "/advanced", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<AdvancedThrottlePolicyDto>> createAdvanced(
            @RequestBody AdvancedThrottlePolicyDto body, Caller caller, ServerWebExchange exchange) {
        AdminAccess.require(caller);
        return create(Level.API, ThrottlePolicyDtoMapper.toDefinition(body), "advanced",
                ThrottlePolicyDtoMapper::advanced, caller, exchange);
    }

    @PutMapping(path = "/advanced/{policyId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<AdvancedThrottlePolicyDto>> updateAdvanced(
            @PathVariable String policyId, @RequestBody AdvancedThrottlePolicyDto body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            Caller caller, ServerWebExchange exchange) {
        AdminAccess.require(caller);
        return update(Level.API, policyId, ifMatch, ThrottlePolicyDtoMapper.toDefinition(body),
                ThrottlePolicyDtoMapper::advanced, caller, exchange);
    }

    @DeleteMapping("/advanced/{policyId}")
    public Mono<ResponseEntity<Void>> deleteAdvanced(@PathVariable String policyId,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            Caller caller, ServerWebExchange exchange) {
        return delete(Level.API, policyId, ifMatch, caller, exchange);
    }

    // ---- shared ----

    private <T> Mono<ResponseEntity<T>> create(Level level, ThrottlePolicyDefinition definition, String path,
                                               BiFunction<String, ThrottlePolicyDefinition, T> toDto,
                                               Caller caller, ServerWebExchange exchange) {
        ThrottlePolicyDefinition validated = definition.validated(level);
        String policyId = UUID.randomUUID().toString();
        URI location = URI.create(exchange.getRequest().getPath().contextPath().value()
                + "/api/am/admin/v4/throttling/policies/" + path + "/" + policyId);
        return commands.send(new CreateThrottlePolicy(policyId, caller.tenant(), level, validated), caller, exchange)
                .map(receipt -> ResponseEntity.created(location).body(toDto.apply(policyId, validated)));
    }

    private <T> Mono<ResponseEntity<T>> update(Level level, String policyId, String ifMatch,
                                               ThrottlePolicyDefinition definition,
                                               BiFunction<String, ThrottlePolicyDefinition, T> toDto,
                                               Caller caller, ServerWebExchange exchange) {
        definition.validated(level);
        Long expected = expectedVersion(ifMatch);
        return existing(level, policyId, caller)
                .then(commands.send(new UpdateThrottlePolicy(policyId, expected, caller.tenant(), level, definition),
                        caller, exchange))
                .onErrorMap(AdminPolicyCommandController::aggregateMissing, e -> notFound(policyId))
                .map(receipt -> ResponseEntity.ok(toDto.apply(policyId, (ThrottlePolicyDefinition) receipt.result())));
    }

    private Mono<ResponseEntity<Void>> delete(Level level, String policyId, String ifMatch, Caller caller,
                                              ServerWebExchange exchange) {
        AdminAccess.require(caller);
        Long expected = expectedVersion(ifMatch);
        return existing(level, policyId, caller)
                .then(commands.send(new DeleteThrottlePolicy(policyId, expected, caller.tenant(), level), caller,
                        exchange))
                .onErrorMap(AdminPolicyCommandController::aggregateMissing, e -> notFound(policyId))
                .map(receipt -> ResponseEntity.ok().<Void>build());
    }

    /**
     * Completes when the id names a policy of the level in the caller's tenant (per the claim table, which is
     * consistent with the event store); otherwise fails with WSO2's 404. This keeps an id of another kind of
     * aggregate from ever being loaded as a policy.
     */
    private Mono<Void> existing(Level level, String policyId, Caller caller) {
        if (policyId == null || !POLICY_ID.matcher(policyId).matches()) {
            return Mono.error(notFound(policyId == null ? "" : policyId));
        }
        return Mono.fromCallable(() -> claims.byId(policyId))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(claim -> claim.isPresent() && claim.get().level() == level
                        && claim.get().tenant().equals(caller.tenant()) ? Mono.<Void>empty()
                        : Mono.error(notFound(policyId)));
    }

    private static DomainException notFound(String policyId) {
        String shown = policyId.length() > 64 ? policyId.substring(0, 64) : policyId;
        return DomainException.of(DomainError.POLICY_NOT_FOUND, "Requested policy with Id '%s' not found", shown);
    }

    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher m = ETAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw ApiException.badRequest("If-Match must be an ETag this server issued, such as \"3\"");
        }
        return Long.parseLong(m.group(1));
    }

    /** A policy deleted (or never created) after the claim check answers as not found. */
    private static boolean aggregateMissing(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AggregateNotFoundException) {
                return true;
            }
        }
        return false;
    }
}
