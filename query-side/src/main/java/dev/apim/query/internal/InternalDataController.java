package dev.apim.query.internal;

import dev.apim.platform.broadcast.InternalData;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.GatewayEnvironments;
import dev.apim.platform.config.Roles;
import dev.apim.platform.consistency.ReadModelProgress;
import dev.apim.platform.web.ApiException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * WSO2's internal data API for gateways ({@value InternalData#BASE}): what a gateway loads at start and re-reads
 * when a notification names an entity. Guarded by the internal key ({@link InternalKeyFilter}), not by the
 * management plane's users and scopes. Every answer is stamped with the event index it reflects; {@code minIndex}
 * first waits (at most {@code apim.internal.min-index-timeout}, default 5s) until the read model has processed
 * that index, then answers whatever it reflects (a caller compares the stamp).
 */
@RestController
@ConditionalOnRole(Roles.TRAFFICMANAGER)
@RequestMapping(InternalData.BASE)
public class InternalDataController {

    private static final int MAX_ID = 255;

    private final InternalDataReader reader;
    private final ReadModelProgress progress;
    private final GatewayEnvironments environments;
    private final Duration minIndexTimeout;

    public InternalDataController(InternalDataReader reader, ReadModelProgress progress,
                                  GatewayEnvironments environments,
                                  @Value("${apim.internal.min-index-timeout:5s}") Duration minIndexTimeout) {
        this.reader = reader;
        this.progress = progress;
        this.environments = environments;
        this.minIndexTimeout = minIndexTimeout;
    }

    @GetMapping("/snapshot")
    public Mono<InternalData.Snapshot> snapshot(@RequestParam(required = false) String environment,
                                                @RequestParam(required = false) String minIndex) {
        String env = environment(environment);
        return after(minIndex, () -> reader.snapshot(env));
    }

    @GetMapping("/apis")
    public Mono<InternalData.Page<InternalData.ApiItem>> apis(@RequestParam(required = false) String environment,
                                                              @RequestParam(required = false) String minIndex) {
        String env = environment(environment);
        return after(minIndex, () -> reader.apis(env));
    }

    @GetMapping("/apis/{apiId}")
    public Mono<InternalData.One<InternalData.ApiItem>> api(@PathVariable String apiId,
                                                            @RequestParam(required = false) String environment,
                                                            @RequestParam(required = false) String minIndex) {
        String env = environment(environment);
        return after(minIndex, () -> reader.api(env, id(apiId)));
    }

    @GetMapping("/applications")
    public Mono<InternalData.Page<InternalData.ApplicationItem>> applications(
            @RequestParam(required = false) String minIndex) {
        return after(minIndex, reader::applications);
    }

    @GetMapping("/applications/{applicationId}")
    public Mono<InternalData.One<InternalData.ApplicationItem>> application(
            @PathVariable String applicationId, @RequestParam(required = false) String minIndex) {
        return after(minIndex, () -> reader.application(id(applicationId)));
    }

    @GetMapping("/subscriptions")
    public Mono<InternalData.Page<InternalData.SubscriptionItem>> subscriptions(
            @RequestParam(required = false) String minIndex) {
        return after(minIndex, reader::subscriptions);
    }

    @GetMapping("/subscriptions/{subscriptionId}")
    public Mono<InternalData.One<InternalData.SubscriptionItem>> subscription(
            @PathVariable String subscriptionId, @RequestParam(required = false) String minIndex) {
        return after(minIndex, () -> reader.subscription(id(subscriptionId)));
    }

    @GetMapping("/key-mappings")
    public Mono<InternalData.Page<InternalData.KeyMappingItem>> keyMappings(
            @RequestParam(required = false) String minIndex) {
        return after(minIndex, reader::keyMappings);
    }

    @GetMapping("/key-mappings/{consumerKey}")
    public Mono<InternalData.One<InternalData.KeyMappingItem>> keyMapping(
            @PathVariable String consumerKey, @RequestParam(required = false) String minIndex) {
        return after(minIndex, () -> reader.keyMapping(id(consumerKey)));
    }

    @GetMapping("/policies")
    public Mono<InternalData.Page<InternalData.PolicyItem>> policies(@RequestParam(required = false) String minIndex) {
        return after(minIndex, reader::policies);
    }

    @GetMapping("/policies/{policyId}")
    public Mono<InternalData.One<InternalData.PolicyItem>> policy(@PathVariable String policyId,
                                                                  @RequestParam(required = false) String minIndex) {
        return after(minIndex, () -> reader.policy(id(policyId)));
    }

    @GetMapping("/block-conditions")
    public Mono<InternalData.Page<InternalData.BlockConditionItem>> blockConditions(
            @RequestParam(required = false) String minIndex) {
        return after(minIndex, reader::blockConditions);
    }

    @GetMapping("/block-conditions/{conditionId}")
    public Mono<InternalData.One<InternalData.BlockConditionItem>> blockCondition(
            @PathVariable String conditionId, @RequestParam(required = false) String minIndex) {
        return after(minIndex, () -> reader.blockCondition(id(conditionId)));
    }

    @GetMapping("/revoked-tokens")
    public Mono<InternalData.Page<InternalData.RevokedTokenItem>> revokedTokens(
            @RequestParam(required = false) String minIndex) {
        return after(minIndex, reader::revokedTokens);
    }

    @GetMapping("/revocation-cutoffs")
    public Mono<InternalData.Page<InternalData.CutoffItem>> cutoffs(@RequestParam(required = false) String minIndex) {
        return after(minIndex, reader::cutoffs);
    }

    private <T> Mono<T> after(String minIndex, Supplier<Mono<T>> read) {
        long min = minIndex(minIndex);
        Mono<Boolean> ready = min <= 0 ? Mono.just(true)
                : progress.awaitProcessed(min, null, null, minIndexTimeout);
        return ready.then(Mono.defer(read));
    }

    static long minIndex(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long min = Long.parseLong(value.trim());
            if (min < 0) {
                throw ApiException.badRequest("'minIndex' must not be negative");
            }
            return min;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'minIndex' must be a whole number");
        }
    }

    private String environment(String value) {
        String name = value == null || value.isBlank() ? "Default" : value.trim();
        if (environments.environments().stream().noneMatch(e -> e.name().equals(name))) {
            throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, 900471, "Bad Request",
                    "Gateway Environment with name '" + name + "' not found");
        }
        return name;
    }

    private static String id(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_ID) {
            throw ApiException.badRequest("The id must be 1 to " + MAX_ID + " characters");
        }
        return value;
    }
}
