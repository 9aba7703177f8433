package dev.apim.query.subscription;

import dev.apim.platform.web.QueryParams;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.wso2.publisher.SubscriptionDto;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Publisher v4's subscription list: the subscriptions of one API of the tenant (or of all its APIs). */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/publisher/v4")
public class PublisherSubscriptionQueryController {

    private final SubscriptionReadModel subscriptions;

    public PublisherSubscriptionQueryController(SubscriptionReadModel subscriptions) {
        this.subscriptions = subscriptions;
    }

    @GetMapping("/subscriptions")
    public Mono<SubscriptionDto.ListDto> list(@RequestParam(required = false) String apiId,
                                              @RequestParam(required = false) String limit,
                                              @RequestParam(required = false) String offset,
                                              Caller caller) {
        String api = SubscriptionQueryControllers.blankToNull(apiId);
        int lim = QueryParams.intParam("limit", limit, 25, 1, SubscriptionQueryControllers.MAX_LIMIT);
        int off = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        Mono<Boolean> exists = api == null ? Mono.just(true)
                : SubscriptionQueryControllers.wellFormed(api) ? subscriptions.apiExists(caller.tenant(), api)
                : Mono.just(false);
        return exists.flatMap(found -> {
            if (!found) {
                return Mono.error(DomainException.of(DomainError.API_NOT_FOUND,
                        "Requested API with id '%s' not found", api));
            }
            return subscriptions.subscriptions(caller.tenant(), api, null, null, lim, off)
                    .map(page -> SubscriptionQueryControllers.publisherPage(page, lim, off,
                            api == null ? "" : "&apiId=" + api));
        });
    }
}
