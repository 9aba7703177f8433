package dev.apim.query.application;

import dev.apim.platform.web.QueryParams;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.devportal.ApplicationDto;
import dev.apim.platform.wso2.devportal.ApplicationInfoDto;
import dev.apim.platform.wso2.devportal.ApplicationListDto;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Developer Portal v3 application reads. A user sees only their own applications; another user's id answers
 * 404 exactly like a missing one (an administrator may read any application of the tenant by id).
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
@RequestMapping("/api/am/devportal/v3")
public class ApplicationQueryController {

    static final int MAX_LIMIT = 1000;
    static final int MAX_QUERY_LENGTH = 100;

    private final ApplicationReadModel applications;

    public ApplicationQueryController(ApplicationReadModel applications) {
        this.applications = applications;
    }

    @GetMapping("/applications")
    public Mono<ApplicationListDto> list(@RequestParam(required = false) String query,
                                         @RequestParam(required = false) String limit,
                                         @RequestParam(required = false) String offset,
                                         @RequestParam(required = false) String sortBy,
                                         @RequestParam(required = false) String sortOrder,
                                         Caller caller) {
        int lim = QueryParams.intParam("limit", limit, 25, 1, MAX_LIMIT);
        int off = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        String name = query == null || query.isBlank() ? null : query.trim();
        if (name != null && name.length() > MAX_QUERY_LENGTH) {
            throw ApiException.badRequest("'query' must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        if (sortBy != null && !List.of("name", "throttlingPolicy", "status").contains(sortBy)) {
            throw ApiException.badRequest("'sortBy' must be name, throttlingPolicy or status");
        }
        if (sortOrder != null && !List.of("asc", "desc").contains(sortOrder)) {
            throw ApiException.badRequest("'sortOrder' must be asc or desc");
        }
        return applications.applications(caller.tenant(), caller.username(), name, lim, off).map(page -> {
            List<ApplicationInfoDto> list = page.rows().stream()
                    .map(row -> ApplicationInfoDto.of(row.applicationId(), row.owner(), row.details(), row.created(),
                            row.updated()))
                    .toList();
            String base = "/applications?limit=" + lim + "&offset=";
            String queryPart = name == null ? "" : "&query=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
            String next = off + lim < page.total() ? base + (off + lim) + queryPart : "";
            String previous = off > 0 ? base + Math.max(0, off - lim) + queryPart : "";
            return new ApplicationListDto(list.size(), list,
                    new ApplicationListDto.Pagination(off, lim, page.total(), next, previous));
        });
    }

    @GetMapping("/applications/{applicationId}")
    public Mono<ResponseEntity<ApplicationDto>> get(@PathVariable String applicationId, Caller caller) {
        return applications.application(caller.tenant(), applicationId)
                .filter(row -> row.owner().equals(caller.username()) || caller.hasRole("admin"))
                .switchIfEmpty(Mono.error(() -> DomainException.of(DomainError.APPLICATION_NOT_FOUND,
                        "Application %s not found", applicationId)))
                .map(row -> ResponseEntity.ok()
                        .eTag("\"" + row.version() + "\"")
                        .body(ApplicationDto.of(row.applicationId(), row.owner(), row.details(), row.created(),
                                row.updated())));
    }

}
