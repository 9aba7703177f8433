package dev.apim.command.denypolicy;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.blockcondition.BlockCondition;
import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;
import dev.apim.domain.blockcondition.command.ChangeBlockConditionStatus;
import dev.apim.domain.blockcondition.command.CreateBlockCondition;
import dev.apim.domain.blockcondition.command.DeleteBlockCondition;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.AuthenticationFailure;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.admin.BlockingConditionDto;
import dev.apim.platform.wso2.admin.BlockingConditionStatusDto;
import dev.apim.platform.wso2.admin.DenyPolicyMapper;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Admin v4 deny policy writes on WSO2's paths: create, enable/disable and delete block conditions. Admins only.
 * Reads are on the query side.
 */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/throttling")
public class DenyPolicyCommandController {

    static final String ADMIN_ROLE = "admin";
    private static final Pattern CONDITION_ID = Pattern.compile("[0-9a-fA-F-]{36}");

    private final CommandDispatcher commands;

    public DenyPolicyCommandController(CommandDispatcher commands) {
        this.commands = commands;
    }

    @PostMapping(path = "/deny-policies", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<BlockingConditionDto>> create(@RequestBody BlockingConditionDto body, Caller caller,
                                                             ServerWebExchange exchange) {
        requireAdmin(caller);
        BlockConditionType type = BlockConditionType.parse(body.conditionType());
        BlockConditionValue value = BlockCondition.canonical(type, DenyPolicyMapper.toValue(type, body.conditionValue()));
        boolean enabled = body.conditionStatus() == null || body.conditionStatus();
        String conditionId = UUID.randomUUID().toString();
        return commands.send(new CreateBlockCondition(conditionId, caller.tenant(), type.name(), value, enabled),
                        caller, exchange)
                .map(receipt -> ResponseEntity.created(URI.create(exchange.getRequest().getPath().value()
                                .replaceFirst("/deny-policies/?$", "/deny-policy/" + conditionId)))
                        .body(DenyPolicyMapper.toDto(conditionId, type, value, enabled)));
    }

    @PatchMapping(path = "/deny-policy/{conditionId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BlockingConditionDto> changeStatus(@PathVariable String conditionId,
                                                   @RequestBody BlockingConditionStatusDto body, Caller caller,
                                                   ServerWebExchange exchange) {
        requireAdmin(caller);
        requireId(conditionId);
        if (body.conditionStatus() == null) {
            throw ApiException.badRequest("'conditionStatus' (true or false) is required");
        }
        if (body.conditionId() != null && !body.conditionId().equals(conditionId)) {
            throw ApiException.badRequest("'conditionId' in the body differs from the one in the path");
        }
        return commands.send(new ChangeBlockConditionStatus(conditionId, caller.tenant(), body.conditionStatus()),
                        caller, exchange)
                .onErrorMap(AggregateNotFoundException.class, e -> notFound(conditionId))
                .map(receipt -> {
                    BlockCondition.View view = (BlockCondition.View) receipt.result();
                    return DenyPolicyMapper.toDto(view.conditionId(), view.type(), view.value(), view.enabled());
                });
    }

    @DeleteMapping("/deny-policy/{conditionId}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String conditionId, Caller caller,
                                             ServerWebExchange exchange) {
        requireAdmin(caller);
        requireId(conditionId);
        return commands.send(new DeleteBlockCondition(conditionId, caller.tenant()), caller, exchange)
                .onErrorMap(AggregateNotFoundException.class, e -> notFound(conditionId))
                .map(receipt -> ResponseEntity.ok().<Void>build());
    }

    /** Only administrators manage deny policies (WSO2's {@code apim:bl_manage} scope). */
    static void requireAdmin(Caller caller) {
        if (!caller.hasRole(ADMIN_ROLE)) {
            throw AuthenticationFailure.forbidden("Managing deny policies requires the admin role");
        }
    }

    private static void requireId(String conditionId) {
        if (!CONDITION_ID.matcher(conditionId).matches()) {
            throw notFound(conditionId);
        }
    }

    private static DomainException notFound(String conditionId) {
        return DomainException.of(DomainError.BLOCK_CONDITION_NOT_FOUND, "Block condition %s not found",
                conditionId.length() > 64 ? conditionId.substring(0, 64) + "..." : conditionId);
    }
}
