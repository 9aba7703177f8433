package dev.apim.command.devportal;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.application.Application;
import dev.apim.domain.application.ApplicationDetails;
import dev.apim.domain.application.Requester;
import dev.apim.domain.application.command.CreateApplication;
import dev.apim.domain.application.command.DeleteApplication;
import dev.apim.domain.application.command.UpdateApplication;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.devportal.ApplicationDto;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Developer Portal v3 application writes on WSO2's paths. The caller acts as owner; another user's application
 * answers 404 exactly like a missing one (the aggregate enforces it, so no path around this controller writes).
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
@RequestMapping("/api/am/devportal/v3")
public class ApplicationCommandController {

    /** The role that may act on any application of its tenant. */
    static final String ADMIN_ROLE = "admin";
    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"?(\\d{1,18})\"?$");
    private static final Pattern ID = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final CommandDispatcher commands;

    public ApplicationCommandController(CommandDispatcher commands) {
        this.commands = commands;
    }

    @PostMapping(path = "/applications", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApplicationDto>> create(@RequestBody ApplicationDto body, Caller caller,
                                                       ServerWebExchange exchange) {
        ApplicationDetails details = body.details().validated();
        String applicationId = UUID.randomUUID().toString();
        return commands.send(new CreateApplication(applicationId, caller.tenant(), caller.username(), details), caller,
                        exchange)
                .map(receipt -> ResponseEntity.created(URI.create(exchange.getRequest().getPath().value() + "/"
                                + applicationId))
                        .body(ApplicationDto.of(applicationId, caller.username(), details, receipt.timestamp(),
                                receipt.timestamp())));
    }

    @PutMapping(path = "/applications/{applicationId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApplicationDto>> update(@PathVariable String applicationId,
                                                       @RequestBody ApplicationDto body,
                                                       @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                       Caller caller, ServerWebExchange exchange) {
        requireId(applicationId);
        ApplicationDetails details = body.details().validated();
        Long expected = expectedVersion(ifMatch);
        return commands.send(new UpdateApplication(applicationId, expected, requester(caller), details), caller, exchange)
                .map(receipt -> {
                    Application.Status status = (Application.Status) receipt.result();
                    return ResponseEntity.ok(ApplicationDto.of(applicationId, status.owner(), details,
                            status.createdAt(), receipt.timestamp()));
                })
                .onErrorMap(e -> notFound(e, applicationId));
    }

    @DeleteMapping("/applications/{applicationId}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String applicationId,
                                             @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                             Caller caller, ServerWebExchange exchange) {
        requireId(applicationId);
        return commands.send(new DeleteApplication(applicationId, expectedVersion(ifMatch), requester(caller)), caller,
                        exchange)
                .map(receipt -> ResponseEntity.ok().<Void>build())
                .onErrorMap(e -> notFound(e, applicationId));
    }

    static Requester requester(Caller caller) {
        return new Requester(caller.username(), caller.tenant(), caller.hasRole(ADMIN_ROLE));
    }

    /** An id that cannot name an application is answered like a missing one, without touching the event store. */
    private static void requireId(String applicationId) {
        if (!ID.matcher(applicationId).matches()) {
            throw notFoundError(applicationId);
        }
    }

    /** Axon's "no such aggregate" (missing, deleted, or another aggregate's stream) reads as WSO2's 404. */
    private static Throwable notFound(Throwable error, String applicationId) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AggregateNotFoundException || c instanceof IncompatibleAggregateException) {
                return notFoundError(applicationId);
            }
        }
        return error;
    }

    private static DomainException notFoundError(String applicationId) {
        return DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found", applicationId);
    }

    /** The expected aggregate version from {@code If-Match}, or null when absent or {@code *}. */
    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher m = ETAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw ApiException.badRequest("If-Match must be an ETag this server issued, such as \"3\"");
        }
        return Long.parseLong(m.group(1));
    }
}
