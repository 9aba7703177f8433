package dev.apim.query.workflow;

import dev.apim.platform.web.QueryParams;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.workflow.WorkflowType;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.admin.AdminAccess;
import dev.apim.platform.wso2.admin.WorkflowInfoDto;
import dev.apim.platform.wso2.admin.WorkflowListDto;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.regex.Pattern;

/** Admin v4 pending workflows (WSO2's approval tasks) on WSO2's paths, from {@code apimgtdb}. Admins only. */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4")
public class WorkflowQueryController {

    public static final Pattern WORKFLOW_ID = Pattern.compile("^[0-9A-Za-z-]{1,64}$");
    private static final int MAX_LIMIT = 1000;

    private final WorkflowReadModel workflows;

    public WorkflowQueryController(WorkflowReadModel workflows) {
        this.workflows = workflows;
    }

    @GetMapping("/workflows")
    public Mono<WorkflowListDto> list(@RequestParam(required = false) String workflowType,
                                      @RequestParam(required = false) String limit,
                                      @RequestParam(required = false) String offset,
                                      Caller caller) {
        AdminAccess.require(caller);
        int lim = QueryParams.intParam("limit", limit, 25, 1, MAX_LIMIT);
        int off = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        String type = type(workflowType);
        return workflows.open(caller.tenant(), type, lim, off).map(page -> {
            String base = "/workflows?limit=" + lim + "&offset=";
            String typePart = type == null ? "" : "&workflowType=" + type;
            String next = off + lim < page.total() ? base + (off + lim) + typePart : "";
            String previous = off > 0 ? base + Math.max(0, off - lim) + typePart : "";
            return new WorkflowListDto(page.rows().size(), page.rows(),
                    new WorkflowListDto.Pagination(off, lim, page.total(), next, previous));
        });
    }

    @GetMapping("/workflows/{workflowReferenceId}")
    public Mono<WorkflowInfoDto> get(@PathVariable String workflowReferenceId, Caller caller) {
        AdminAccess.require(caller);
        if (!WORKFLOW_ID.matcher(workflowReferenceId).matches()) {
            return Mono.error(notFound(workflowReferenceId));
        }
        return workflows.workflow(caller.tenant(), workflowReferenceId)
                .switchIfEmpty(Mono.error(() -> notFound(workflowReferenceId)));
    }

    private static DomainException notFound(String id) {
        return DomainException.of(DomainError.WORKFLOW_NOT_FOUND, "Workflow %s not found",
                id.length() > 64 ? id.substring(0, 64) : id);
    }

    private static String type(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (WorkflowType type : WorkflowType.values()) {
            if (type.name().equals(value.trim())) {
                return type.name();
            }
        }
        throw ApiException.badRequest("'workflowType' must be AM_SUBSCRIPTION_CREATION or AM_SUBSCRIPTION_UPDATE");
    }

}
