package dev.apim.query.rebuild;

import dev.apim.domain.common.Tenants;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.AuthenticationFailure;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.admin.AdminAccess;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Admin v4 projections: rebuild a read model (or the broadcast stream) from the event log while the live one
 * serves, follow its progress, cancel it. The read models are shared by every tenant, so only an administrator
 * of the super tenant may touch them.
 */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/projections")
public class ProjectionController {

    /** The list answer. */
    public record ProjectionListDto(int count, List<RebuildStatus> list) {}

    private final ProjectionRebuilds rebuilds;

    public ProjectionController(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @GetMapping
    public Mono<ProjectionListDto> list(Caller caller) {
        require(caller);
        List<RebuildStatus> all = rebuilds.statuses();
        return Mono.just(new ProjectionListDto(all.size(), all));
    }

    @GetMapping("/{name}")
    public Mono<RebuildStatus> get(@PathVariable String name, Caller caller) {
        require(caller);
        return Mono.just(rebuilds.status(known(name)));
    }

    @PostMapping("/{name}/rebuild")
    public Mono<ResponseEntity<RebuildStatus>> rebuild(@PathVariable String name, Caller caller) {
        require(caller);
        String projection = known(name);
        return blocking(() -> {
            try {
                return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuilds.start(projection));
            } catch (ProjectionRebuilds.RebuildRunningException e) {
                throw new ApiException(HttpStatus.CONFLICT, 409, "Conflict", e.getMessage());
            }
        });
    }

    @DeleteMapping("/{name}/rebuild")
    public Mono<RebuildStatus> cancel(@PathVariable String name, Caller caller) {
        require(caller);
        String projection = known(name);
        return Mono.justOrEmpty(rebuilds.cancel(projection)).switchIfEmpty(Mono.error(() ->
                ApiException.notFound("No rebuild of '" + projection + "' is running on this node")));
    }

    private static void require(Caller caller) {
        AdminAccess.require(caller);
        if (!Tenants.SUPER_TENANT.equals(caller.tenant())) {
            throw AuthenticationFailure.forbidden("Projections are shared by all tenants: super-tenant admins only");
        }
    }

    private String known(String name) {
        if (name == null || !rebuilds.names().contains(name)) {
            String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) : name;
            throw ApiException.notFound("Projection '" + shown + "' not found; known: " + rebuilds.names());
        }
        return name;
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
