package dev.apim.domain.user;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user of the management plane and portals. Its id is derived from tenant and username
 * ({@link #idOf}), so registering a taken name fails on the event store's unique stream start.
 */
public class User {

    /** Roles a user can hold (WSO2's internal roles, reduced). */
    public static final Set<String> ROLES = Set.of("admin", "creator", "publisher", "subscriber");

    @AggregateIdentifier
    private String userId;
    private String tenant;
    private String username;
    private boolean locked;

    protected User() {
    }

    @CommandHandler
    public User(RegisterUser command) {
        if (command.username() == null || !command.username().matches("^[A-Za-z0-9._@-]{3,64}$")) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "A username is 3 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        if (command.passwordHash() == null || command.passwordHash().isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "A password is required");
        }
        if (command.roles() == null || !ROLES.containsAll(command.roles())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "Roles must be among %s", ROLES);
        }
        if (!idOf(command.tenant(), command.username()).equals(command.userId())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The user id does not match tenant and username");
        }
        apply(new UserRegistered(command.userId(), command.tenant(), command.username(), command.passwordHash(),
                Set.copyOf(command.roles())));
    }

    /** Replaces the password (already slow-hashed; the caller verified the current one). */
    @CommandHandler
    public void handle(ChangeUserPassword command) {
        if (command.passwordHash() == null || command.passwordHash().isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "A password is required");
        }
        apply(new UserPasswordChanged(userId, tenant, username, command.passwordHash()));
    }

    /** Locks or unlocks the account; asking for the state it already has writes nothing. */
    @CommandHandler
    public void handle(LockUser command) {
        if (command.reason() != null && command.reason().length() > 500) {
            throw DomainException.of(DomainError.INVALID_INPUT, "A lock reason is at most 500 characters");
        }
        if (command.locked() != locked) {
            apply(new UserLockChanged(userId, tenant, username, command.locked(), command.reason()));
        }
    }

    @EventSourcingHandler
    void on(UserLockChanged event) {
        locked = event.locked();
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        userId = event.userId();
        tenant = event.tenant();
        username = event.username();
    }

    public static String idOf(String tenant, String username) {
        return "user:" + tenant + ":" + username;
    }
}
