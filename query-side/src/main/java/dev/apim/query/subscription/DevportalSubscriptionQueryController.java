package dev.apim.query.subscription;

import dev.apim.platform.web.QueryParams;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.devportal.SubscriptionDto;
import dev.apim.platform.wso2.devportal.SubscriptionListDto;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Developer Portal v3 subscription reads. A user sees only the subscriptions of their own applications (an
 * administrator any of the tenant's); another user's application or subscription answers 404 like a missing one.
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
@RequestMapping("/api/am/devportal/v3")
public class DevportalSubscriptionQueryController {

    private final SubscriptionReadModel subscriptions;

    public DevportalSubscriptionQueryController(SubscriptionReadModel subscriptions) {
        this.subscriptions = subscriptions;
    }

    @GetMapping("/subscriptions")
    public Mono<SubscriptionListDto> list(@RequestParam(required = false) String applicationId,
                                          @RequestParam(required = false) String apiId,
                                          @RequestParam(required = false) String limit,
                                          @RequestParam(required = false) String offset,
                                          Caller caller) {
        String application = SubscriptionQueryControllers.blankToNull(applicationId);
        String api = SubscriptionQueryControllers.blankToNull(apiId);
        if (application == null && api == null) {
            throw ApiException.badRequest("'applicationId' (or 'apiId') is required");
        }
        int lim = QueryParams.intParam("limit", limit, 25, 1, SubscriptionQueryControllers.MAX_LIMIT);
        int off = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        boolean admin = caller.hasRole(SubscriptionQueryControllers.ADMIN_ROLE);
        String subscriber = admin ? null : caller.username();
        String query = (application == null ? "" : "&applicationId=" + application) + (api == null ? "" : "&apiId=" + api);
        if (api != null && !SubscriptionQueryControllers.wellFormed(api)) {
            throw DomainException.of(DomainError.API_NOT_FOUND, "Requested API with id '%s' not found", api);
        }
        Mono<Boolean> applicationVisible = application == null ? Mono.just(true)
                : !SubscriptionQueryControllers.wellFormed(application) ? Mono.just(false)
                : subscriptions.applicationOwner(caller.tenant(), application)
                        .map(owner -> admin || owner.equals(caller.username())).defaultIfEmpty(false);
        return applicationVisible.flatMap(visible -> {
            if (!visible) {
                return Mono.error(DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found",
                        application));
            }
            return subscriptions.subscriptions(caller.tenant(), api, application, subscriber, lim, off)
                    .map(page -> SubscriptionQueryControllers.devportalPage(page, lim, off, query));
        });
    }

    @GetMapping("/subscriptions/{subscriptionId}")
    public Mono<SubscriptionDto> get(@PathVariable String subscriptionId, Caller caller) {
        Mono<SubscriptionReadModel.SubscriptionRow> row = SubscriptionQueryControllers.wellFormed(subscriptionId)
                ? subscriptions.subscription(caller.tenant(), subscriptionId) : Mono.empty();
        return row
                .filter(r -> caller.hasRole(SubscriptionQueryControllers.ADMIN_ROLE)
                        || r.subscriber().equals(caller.username()))
                .switchIfEmpty(Mono.error(() -> DomainException.of(DomainError.SUBSCRIPTION_NOT_FOUND,
                        "Subscription %s not found", subscriptionId)))
                .map(SubscriptionQueryControllers::devportal);
    }
}
