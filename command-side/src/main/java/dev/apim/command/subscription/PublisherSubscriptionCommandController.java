package dev.apim.command.subscription;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.subscription.command.BlockSubscription;
import dev.apim.domain.subscription.command.UnblockSubscription;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Publisher v4's subscription blocking on WSO2's paths; a subscription of another tenant answers 404. */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/publisher/v4/subscriptions")
public class PublisherSubscriptionCommandController {

    private final CommandDispatcher commands;
    private final SubscriptionAccess access;

    public PublisherSubscriptionCommandController(CommandDispatcher commands, SubscriptionAccess access) {
        this.commands = commands;
        this.access = access;
    }

    @PostMapping("/block-subscription")
    public Mono<ResponseEntity<Void>> block(@RequestParam(required = false) String subscriptionId,
                                            @RequestParam(required = false) String blockState,
                                            Caller caller, ServerWebExchange exchange) {
        String id = required(subscriptionId, "subscriptionId");
        String state = required(blockState, "blockState");
        boolean productionOnly = switch (state) {
            case "BLOCKED" -> false;
            case "PROD_ONLY_BLOCKED" -> true;
            default -> throw ApiException.badRequest("'blockState' must be BLOCKED or PROD_ONLY_BLOCKED");
        };
        return send(id, new BlockSubscription(id, productionOnly), caller, exchange);
    }

    @PostMapping("/unblock-subscription")
    public Mono<ResponseEntity<Void>> unblock(@RequestParam(required = false) String subscriptionId,
                                              Caller caller, ServerWebExchange exchange) {
        String id = required(subscriptionId, "subscriptionId");
        return send(id, new UnblockSubscription(id), caller, exchange);
    }

    private Mono<ResponseEntity<Void>> send(String id, Object command, Caller caller, ServerWebExchange exchange) {
        return access.visible(caller.tenant(), id, null)
                .switchIfEmpty(Mono.error(() -> SubscriptionCommandConfiguration.notFoundError(id)))
                .then(commands.send(command, caller, exchange))
                .map(receipt -> ResponseEntity.ok().<Void>build())
                .onErrorMap(e -> SubscriptionCommandConfiguration.notFound(e, id));
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return value.trim();
    }
}
