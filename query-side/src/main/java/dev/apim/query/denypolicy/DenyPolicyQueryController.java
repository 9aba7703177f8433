package dev.apim.query.denypolicy;

import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.AuthenticationFailure;
import dev.apim.platform.security.Caller;
import dev.apim.platform.wso2.admin.BlockingConditionDto;
import dev.apim.platform.wso2.admin.BlockingConditionListDto;
import dev.apim.platform.wso2.admin.DenyPolicyMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Admin v4 deny policy reads on WSO2's paths, from {@code apimgtdb}. Admins only. */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/throttling")
public class DenyPolicyQueryController {

    private final DenyPolicyReadModel conditions;

    public DenyPolicyQueryController(DenyPolicyReadModel conditions) {
        this.conditions = conditions;
    }

    /** All deny policies of the tenant; {@code query=conditionType:IP} narrows to one type. */
    @GetMapping("/deny-policies")
    public Mono<BlockingConditionListDto> list(@RequestParam(required = false) String query, Caller caller) {
        requireAdmin(caller);
        BlockConditionType only = typeFilter(query);
        return conditions.conditions(caller.tenant())
                .filter(row -> only == null || row.type() == only)
                .map(DenyPolicyQueryController::dto)
                .collectList()
                .map(list -> new BlockingConditionListDto(list.size(), list));
    }

    @GetMapping("/deny-policy/{conditionId}")
    public Mono<BlockingConditionDto> get(@PathVariable String conditionId, Caller caller) {
        requireAdmin(caller);
        return conditions.condition(caller.tenant(), conditionId)
                .map(DenyPolicyQueryController::dto)
                .switchIfEmpty(Mono.error(() -> DomainException.of(DomainError.BLOCK_CONDITION_NOT_FOUND,
                        "Block condition %s not found", conditionId.length() > 64 ? conditionId.substring(0, 64)
                                : conditionId)));
    }

    private static BlockConditionType typeFilter(String query) {
        if (query == null || query.isBlank()) {
            return null;
        }
        String q = query.trim();
        if (!q.regionMatches(true, 0, "conditionType:", 0, "conditionType:".length())) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "The deny policy query supports only 'conditionType:<API|APPLICATION|IP|IPRANGE|USER>'");
        }
        return BlockConditionType.parse(q.substring("conditionType:".length()));
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.hasRole("admin")) {
            throw AuthenticationFailure.forbidden("Managing deny policies requires the admin role");
        }
    }

    private static BlockingConditionDto dto(DenyPolicyReadModel.Row row) {
        return DenyPolicyMapper.toDto(row.conditionId(), row.type(), row.value(), row.enabled());
    }
}
