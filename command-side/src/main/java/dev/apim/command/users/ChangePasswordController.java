package dev.apim.command.users;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.user.ChangeUserPassword;
import dev.apim.domain.user.User;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.security.CredentialStore;
import dev.apim.platform.security.PasswordHashing;
import dev.apim.platform.security.PasswordPolicy;
import dev.apim.platform.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * WSO2's {@code POST /api/am/devportal/v3/me/change-password}: the caller proves the current password and sets a
 * new one that meets the password policy. Only the new password's slow hash enters the event.
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
public class ChangePasswordController {

    private final CommandDispatcher commands;
    private final CredentialStore users;

    public ChangePasswordController(CommandDispatcher commands, CredentialStore users) {
        this.commands = commands;
        this.users = users;
    }

    /** WSO2's {@code PasswordChange}. */
    public record PasswordChange(String currentPassword, String newPassword) {}

    @PostMapping(path = "/api/am/devportal/v3/me/change-password", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Void>> changePassword(@RequestBody PasswordChange body, Caller caller,
                                                     ServerWebExchange exchange) {
        if (body == null || body.currentPassword() == null || body.currentPassword().isEmpty()) {
            throw ApiException.badRequest("'currentPassword' is required");
        }
        PasswordPolicy.check(body.newPassword());
        return users.find(caller.tenant(), caller.username())
                .switchIfEmpty(Mono.error(() -> DomainException.of(DomainError.USER_NOT_FOUND,
                        "User %s not found", caller.username())))
                .flatMap(user -> Mono.fromCallable(() -> {
                    if (!PasswordHashing.matches(body.currentPassword(), user.passwordHash())) {
                        throw DomainException.of(DomainError.CURRENT_PASSWORD_INCORRECT,
                                "The current password entered is incorrect");
                    }
                    return PasswordHashing.hash(body.newPassword());
                }).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(hash -> commands.send(new ChangeUserPassword(User.idOf(caller.tenant(), caller.username()),
                        hash), caller, exchange))
                .map(receipt -> ResponseEntity.ok().<Void>build());
    }
}
