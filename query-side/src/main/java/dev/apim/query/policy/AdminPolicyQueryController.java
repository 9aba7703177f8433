package dev.apim.query.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.wso2.admin.AdminAccess;
import dev.apim.platform.wso2.admin.AdvancedThrottlePolicyDto;
import dev.apim.platform.wso2.admin.ApplicationThrottlePolicyDto;
import dev.apim.platform.wso2.admin.SubscriptionThrottlePolicyDto;
import dev.apim.platform.wso2.admin.ThrottleLimitDtos.PolicyList;
import dev.apim.platform.wso2.admin.ThrottlePolicyDtoMapper;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.function.BiFunction;

/** Admin v4 throttling policy reads on WSO2's paths, from {@code apimgtdb}, for callers with the {@code admin} role. */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/throttling/policies")
public class AdminPolicyQueryController {

    private final ThrottlePolicyReadModel policies;

    public AdminPolicyQueryController(ThrottlePolicyReadModel policies) {
        this.policies = policies;
    }

    @GetMapping("/application")
    public Mono<PolicyList<ApplicationThrottlePolicyDto>> applicationPolicies(Caller caller) {
        return list(Level.APPLICATION, ThrottlePolicyDtoMapper::application, caller);
    }

    @GetMapping("/application/{policyId}")
    public Mono<ResponseEntity<ApplicationThrottlePolicyDto>> applicationPolicy(@PathVariable String policyId,
                                                                                Caller caller) {
        return one(Level.APPLICATION, policyId, ThrottlePolicyDtoMapper::application, caller);
    }

    @GetMapping("/subscription")
    public Mono<PolicyList<SubscriptionThrottlePolicyDto>> subscriptionPolicies(Caller caller) {
        return list(Level.SUBSCRIPTION, ThrottlePolicyDtoMapper::subscription, caller);
    }

    @GetMapping("/subscription/{policyId}")
    public Mono<ResponseEntity<SubscriptionThrottlePolicyDto>> subscriptionPolicy(@PathVariable String policyId,
                                                                                  Caller caller) {
        return one(Level.SUBSCRIPTION, policyId, ThrottlePolicyDtoMapper::subscription, caller);
    }

    @GetMapping("/advanced")
    public Mono<PolicyList<AdvancedThrottlePolicyDto>> advancedPolicies(Caller caller) {
        return list(Level.API, ThrottlePolicyDtoMapper::advanced, caller);
    }

    @GetMapping("/advanced/{policyId}")
    public Mono<ResponseEntity<AdvancedThrottlePolicyDto>> advancedPolicy(@PathVariable String policyId,
                                                                          Caller caller) {
        return one(Level.API, policyId, ThrottlePolicyDtoMapper::advanced, caller);
    }

    private <T> Mono<PolicyList<T>> list(Level level, BiFunction<String, ThrottlePolicyDefinition, T> toDto,
                                         Caller caller) {
        AdminAccess.require(caller);
        return policies.policies(caller.tenant(), level)
                .map(row -> toDto.apply(row.policyId(), row.definition()))
                .collectList()
                .map(list -> new PolicyList<>(list.size(), list));
    }

    private <T> Mono<ResponseEntity<T>> one(Level level, String policyId,
                                            BiFunction<String, ThrottlePolicyDefinition, T> toDto, Caller caller) {
        AdminAccess.require(caller);
        String shown = policyId.length() > 64 ? policyId.substring(0, 64) : policyId;
        return policies.policy(caller.tenant(), level, policyId)
                .switchIfEmpty(Mono.error(() -> DomainException.of(DomainError.POLICY_NOT_FOUND,
                        "Requested policy with Id '%s' not found", shown)))
                .map(row -> ResponseEntity.ok().eTag("\"" + row.version() + "\"")
                        .body(toDto.apply(row.policyId(), row.definition())));
    }
}
