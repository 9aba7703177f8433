package dev.apim.domain.application;

import dev.apim.domain.application.command.CreateApplication;
import dev.apim.domain.application.command.DeleteApplication;
import dev.apim.domain.application.command.UpdateApplication;
import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.application.event.ApplicationDeleted;
import dev.apim.domain.application.event.ApplicationUpdated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * A consumer's application in the Developer Portal: owned by one user of a tenant, named uniquely for that
 * owner, bound to an application-level throttling policy. Only the owner (or an administrator of the tenant)
 * may change it; to anyone else it does not exist.
 */
public class Application {

    @AggregateIdentifier
    private String applicationId;
    private String tenant;
    private String owner;
    private String name;
    private Instant createdAt;

    /** What an update answers: the owner and creation time, which an update does not change. */
    public record Status(String owner, Instant createdAt) {}

    protected Application() {
        // for Axon
    }

    @CommandHandler
    public Application(CreateApplication command, ApplicationNameRegistry names, ThrottlePolicyCatalog policies) {
        requireText(command.applicationId(), "applicationId");
        requireText(command.tenant(), "tenant");
        requireText(command.owner(), "owner");
        ApplicationDetails details = validated(command.details(), command.tenant(), policies);
        names.claim(command.tenant(), command.owner(), details.name(), command.applicationId());
        apply(new ApplicationCreated(command.applicationId(), command.tenant(), command.owner(), details.name(),
                details.description(), details.throttlingPolicy(), details.tokenType(), details.attributes(),
                details.groups()));
    }

    @CommandHandler
    public Status handle(UpdateApplication command, ApplicationNameRegistry names, ThrottlePolicyCatalog policies) {
        requireAccess(command.applicationId(), command.requester());
        requireVersion(command.expectedVersion());
        ApplicationDetails details = validated(command.details(), tenant, policies);
        names.rename(tenant, owner, name, details.name(), applicationId);
        apply(new ApplicationUpdated(applicationId, tenant, owner, details.name(), details.description(),
                details.throttlingPolicy(), details.tokenType(), details.attributes(), details.groups()));
        return new Status(owner, createdAt);
    }

    @CommandHandler
    public void handle(DeleteApplication command, ApplicationNameRegistry names) {
        requireAccess(command.applicationId(), command.requester());
        requireVersion(command.expectedVersion());
        names.release(tenant, owner, name, applicationId);
        apply(new ApplicationDeleted(applicationId, tenant, owner, name));
    }

    @EventSourcingHandler
    void on(ApplicationCreated event, @Timestamp Instant at) {
        applicationId = event.applicationId();
        tenant = event.tenant();
        owner = event.owner();
        name = event.name();
        createdAt = at;
    }

    @EventSourcingHandler
    void on(ApplicationUpdated event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(ApplicationDeleted event) {
        markDeleted();
    }

    // ---- facts other aggregates may read while deciding (never mutate) ----

    /** The tenant, or null when the loaded stream is not an application's. */
    public String tenant() {
        return tenant;
    }

    public String owner() {
        return owner;
    }

    // ---- rules ----

    /**
     * Another user's application answers as missing, so its existence does not leak; so does an id whose
     * stream is not an application's.
     */
    private void requireAccess(String requestedId, Requester requester) {
        boolean allowed = applicationId != null && requester != null && tenant.equals(requester.tenant())
                && (owner.equals(requester.username()) || requester.admin());
        if (!allowed) {
            throw DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found", requestedId);
        }
    }

    /** Optimistic locking ({@code If-Match}), checked only once the requester may see the application. */
    private void requireVersion(Long expectedVersion) {
        Long current = AggregateLifecycle.getVersion();
        if (expectedVersion != null && current != null && !expectedVersion.equals(current)) {
            throw new ConflictingAggregateVersionException(applicationId, expectedVersion, current);
        }
    }

    private static ApplicationDetails validated(ApplicationDetails details, String tenant,
                                                ThrottlePolicyCatalog policies) {
        if (details == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The application details are required");
        }
        ApplicationDetails valid = details.validated();
        var policy = policies.find(tenant, ThrottlePolicyCatalog.Level.APPLICATION, valid.throttlingPolicy());
        if (policy.isEmpty() || !policy.get().name().equals(valid.throttlingPolicy())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "Application throttling policy '%s' does not exist%s",
                    valid.throttlingPolicy(), policy.map(p -> "; did you mean '" + p.name() + "'?").orElse(""));
        }
        return valid;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
    }
}
