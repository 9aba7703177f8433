package dev.apim.query.deadletter;

import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.admin.AdminAccess;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Admin v4 dead letters: the projections' events whose handler failed (parked, with every later event of the
 * same aggregate, instead of stalling the processor). Administrators list them, retry one (its aggregate's
 * parked events are handled again in order) or discard one; only the letters of their own tenant.
 */
@RestController
@ConditionalOnRole(Roles.PUBLISHER)
@RequestMapping("/api/am/admin/v4/dead-letters")
public class DeadLetterController {

    /** Letter ids are Axon's UUIDs; anything else cannot name a letter. */
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final DeadLetterAdmin admin;

    public DeadLetterController(DeadLetterAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    public Mono<DeadLetterListDto> list(@RequestParam(required = false) String processingGroup, Caller caller) {
        AdminAccess.require(caller);
        String group = processingGroup == null || processingGroup.isBlank() ? null : processingGroup.trim();
        if (group != null && !admin.processingGroups().contains(group)) {
            throw ApiException.badRequest("'processingGroup' must be one of " + new TreeSet<>(admin.processingGroups()));
        }
        return blocking(() -> {
            List<DeadLetterDto> letters = admin.list(caller.tenant(), group);
            return new DeadLetterListDto(letters.size(), letters);
        });
    }

    @PostMapping("/{id}/retry")
    public Mono<DeadLetterRetryDto> retry(@PathVariable String id, Caller caller) {
        AdminAccess.require(caller);
        String letter = known(id);
        return blocking(() -> admin.retry(caller.tenant(), letter).orElseThrow(() -> notFound(letter)));
    }

    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> discard(@PathVariable String id, Caller caller) {
        AdminAccess.require(caller);
        String letter = known(id);
        return blocking(() -> {
            if (!admin.discard(caller.tenant(), letter)) {
                throw notFound(letter);
            }
            return ResponseEntity.ok().<Void>build();
        });
    }

    private static String known(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw notFound(id == null ? "" : id.length() > 64 ? id.substring(0, 64) : id);
        }
        return id;
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("Dead letter " + id + " not found");
    }

    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
