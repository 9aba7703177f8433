package dev.apim.command.users;

import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Tenants;
import dev.apim.domain.user.RegisterUser;
import dev.apim.domain.user.User;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.security.PasswordHashing;
import dev.apim.platform.security.PasswordPolicy;
import dev.apim.platform.wso2.identity.SelfSignUpRequest;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Set;

/**
 * WSO2's self sign-up ({@code POST /api/identity/user/v1.0/me}, unauthenticated): registers a Developer Portal
 * user with the {@code subscriber} role. Switched off with {@code apim.self-signup.enabled=false}.
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
public class SelfSignUpController {

    public static final String PATH = "/api/identity/user/v1.0/me";
    static final String ROLE = "subscriber";
    static final int MAX_CLAIMS = 50;

    private final CommandDispatcher commands;
    private final JdbcTemplate jdbc;
    private final boolean enabled;

    public SelfSignUpController(CommandDispatcher commands, JdbcTemplate jdbc,
                                @Value("${apim.self-signup.enabled:true}") boolean enabled) {
        this.commands = commands;
        this.jdbc = jdbc;
        this.enabled = enabled;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Void>> signUp(@RequestBody SelfSignUpRequest body, ServerWebExchange exchange) {
        if (!enabled) {
            throw DomainException.of(DomainError.SELF_SIGNUP_DISABLED, "Self sign-up is disabled on this server");
        }
        SelfSignUpRequest.User user = validated(body);
        String tenant = Tenants.SUPER_TENANT;
        String userId = User.idOf(tenant, user.username());
        Caller registrant = new Caller(user.username(), tenant, Set.of());
        return Mono.fromCallable(() -> exists(userId))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(exists -> {
                    if (exists) {
                        return Mono.error(alreadyExists(user.username()));
                    }
                    String hash = PasswordHashing.hash(user.password());
                    return commands.send(new RegisterUser(userId, tenant, user.username(), hash, Set.of(ROLE)),
                            registrant, exchange);
                })
                .onErrorMap(e -> isConcurrency(e) ? alreadyExists(user.username()) : e)
                .map(receipt -> ResponseEntity.status(HttpStatus.CREATED).<Void>build());
    }

    private boolean exists(String userId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM " + EventStoreConfiguration.SCHEMA
                + ".domain_event_entry WHERE aggregate_identifier = ?", Integer.class, userId);
        return count != null && count > 0;
    }

    private static SelfSignUpRequest.User validated(SelfSignUpRequest body) {
        if (body == null || body.user() == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'user' is required");
        }
        SelfSignUpRequest.User user = body.user();
        if (user.username() == null || !user.username().matches("^[A-Za-z0-9._@-]{3,64}$")) {
            throw DomainException.of(DomainError.INVALID_INPUT,
                    "A username is 3 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        if (user.realm() != null && !user.realm().equals("PRIMARY")) {
            throw DomainException.of(DomainError.INVALID_INPUT, "Only the PRIMARY user store is supported");
        }
        PasswordPolicy.check(user.password());
        List<SelfSignUpRequest.Claim> claims = user.claims() == null ? List.of() : user.claims();
        if (claims.size() > MAX_CLAIMS) {
            throw DomainException.of(DomainError.INVALID_INPUT, "At most %d claims are accepted", MAX_CLAIMS);
        }
        for (SelfSignUpRequest.Claim claim : claims) {
            if (claim == null || claim.uri() == null || claim.uri().isBlank() || claim.uri().length() > 255
                    || (claim.value() != null && claim.value().length() > 1024)) {
                throw DomainException.of(DomainError.INVALID_INPUT,
                        "Each claim needs a 'uri' of at most 255 characters and a value of at most 1024");
            }
        }
        if (body.properties() != null && body.properties().size() > MAX_CLAIMS) {
            throw DomainException.of(DomainError.INVALID_INPUT, "At most %d properties are accepted", MAX_CLAIMS);
        }
        return user;
    }

    private static DomainException alreadyExists(String username) {
        return DomainException.of(DomainError.USER_ALREADY_EXISTS, "User %s already exists in the system", username);
    }

    /** The event store's unique stream start: someone registered the same username at the same moment. */
    private static boolean isConcurrency(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }
}
