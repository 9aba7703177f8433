package dev.apim.command.workflow;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.workflow.CompleteWorkflow;
import dev.apim.domain.workflow.WorkflowStatus;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.admin.AdminAccess;
import dev.apim.platform.wso2.admin.WorkflowDecisionDto;
import dev.apim.platform.wso2.admin.WorkflowInfoDto;
import dev.apim.platform.wso2.admin.WorkflowMapper;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.sql.Timestamp;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Admin v4 workflow decisions on WSO2's path: an administrator approves or rejects an open approval task.
 * The decision goes to the {@code Workflow} aggregate, which decides once; the subscription follows through
 * {@code SubscriptionApprovalSaga}.
 */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/workflows")
public class WorkflowCommandController {

    private static final Pattern WORKFLOW_ID = Pattern.compile("^[0-9A-Za-z-]{1,64}$");
    private static final int MAX_DESCRIPTION = 1024;

    private final CommandDispatcher commands;
    private final JdbcTemplate jdbc;

    public WorkflowCommandController(CommandDispatcher commands, JdbcTemplate jdbc) {
        this.commands = commands;
        this.jdbc = jdbc;
    }

    @PostMapping(path = "/update-workflow-status", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<WorkflowInfoDto> updateStatus(@RequestParam(required = false) String workflowReferenceId,
                                              @RequestBody(required = false) WorkflowDecisionDto body,
                                              Caller caller, ServerWebExchange exchange) {
        AdminAccess.require(caller);
        if (workflowReferenceId == null || workflowReferenceId.isBlank()) {
            throw ApiException.badRequest("'workflowReferenceId' is required");
        }
        if (!WORKFLOW_ID.matcher(workflowReferenceId).matches()) {
            throw notFound(workflowReferenceId);
        }
        WorkflowStatus status = decision(body);
        String description = body.description();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ApiException.badRequest("'description' must be at most " + MAX_DESCRIPTION + " characters");
        }
        return Mono.fromCallable(() -> find(caller.tenant(), workflowReferenceId))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> found.isEmpty() ? Mono.error(notFound(workflowReferenceId)) : Mono.just(found))
                .flatMap(found -> commands.send(new CompleteWorkflow(workflowReferenceId, status, description,
                        caller.username()), caller, exchange))
                .onErrorMap(AggregateNotFoundException.class, e -> notFound(workflowReferenceId))
                .flatMap(receipt -> Mono.fromCallable(() -> find(caller.tenant(), workflowReferenceId))
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(found -> found.isEmpty() ? Mono.error(notFound(workflowReferenceId))
                        : Mono.just(found.get(0)));
    }

    private static WorkflowStatus decision(WorkflowDecisionDto body) {
        if (body == null || body.status() == null) {
            throw ApiException.badRequest("'status' is required: APPROVED or REJECTED");
        }
        return switch (body.status().trim()) {
            case "APPROVED" -> WorkflowStatus.APPROVED;
            case "REJECTED" -> WorkflowStatus.REJECTED;
            default -> throw ApiException.badRequest("'status' must be APPROVED or REJECTED");
        };
    }

    private List<WorkflowInfoDto> find(String tenant, String id) {
        return jdbc.query("SELECT workflow_reference_id, workflow_type, status, created_time, updated_time, "
                        + "properties::text AS properties, description FROM apimgtdb.workflow "
                        + "WHERE tenant = ? AND workflow_reference_id = ?",
                (rs, i) -> {
                    Timestamp created = rs.getTimestamp("created_time");
                    Timestamp updated = rs.getTimestamp("updated_time");
                    return WorkflowMapper.info(rs.getString("workflow_reference_id"), rs.getString("workflow_type"),
                            rs.getString("status"), created == null ? null : created.toInstant(),
                            updated == null ? null : updated.toInstant(), rs.getString("properties"),
                            rs.getString("description"));
                }, tenant, id);
    }

    private static DomainException notFound(String id) {
        return DomainException.of(DomainError.WORKFLOW_NOT_FOUND, "Workflow %s not found",
                id.length() > 64 ? id.substring(0, 64) : id);
    }
}
