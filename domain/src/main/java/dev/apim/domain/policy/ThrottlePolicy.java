package dev.apim.domain.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.command.CreateThrottlePolicy;
import dev.apim.domain.policy.command.DeleteThrottlePolicy;
import dev.apim.domain.policy.command.UpdateThrottlePolicy;
import dev.apim.domain.policy.event.ThrottlePolicyCreated;
import dev.apim.domain.policy.event.ThrottlePolicyDeleted;
import dev.apim.domain.policy.event.ThrottlePolicyUpdated;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * A throttling policy of one level (application, subscription or advanced/API), as WSO2's Admin portal
 * manages it. Names are unique per tenant and level; {@value #UNLIMITED} can never be deleted, nor can a
 * policy that something uses.
 */
public class ThrottlePolicy {

    /** The policy every level has and keeps. */
    public static final String UNLIMITED = "Unlimited";

    @AggregateIdentifier
    private String policyId;
    private String tenant;
    private Level level;
    private ThrottlePolicyDefinition definition;

    protected ThrottlePolicy() {
        // for Axon
    }

    @CommandHandler
    public ThrottlePolicy(CreateThrottlePolicy command, ThrottlePolicyRegistry registry) {
        requireText(command.policyId(), "policyId");
        requireText(command.tenant(), "tenant");
        if (command.level() == null) {
            throw DomainException.of(DomainError.POLICY_LEVEL_NOT_SUPPORTED, "A policy level is required");
        }
        ThrottlePolicyDefinition definition = definitionOf(command.definition()).validated(command.level());
        registry.claim(command.tenant(), command.level(), definition.policyName(), command.policyId(),
                definition.requiresApproval());
        apply(new ThrottlePolicyCreated(command.policyId(), command.tenant(), command.level(), definition));
    }

    /** Returns the stored definition (with defaults applied). */
    @CommandHandler
    public ThrottlePolicyDefinition handle(UpdateThrottlePolicy command, ThrottlePolicyRegistry registry) {
        requireAddressed(command.tenant(), command.level());
        ThrottlePolicyDefinition updated = definitionOf(command.definition()).validated(level);
        if (!updated.policyName().equals(definition.policyName())) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'policyName' cannot be changed (it is '%s')",
                    definition.policyName());
        }
        if (updated.requiresApproval() != definition.requiresApproval()) {
            registry.updateApproval(tenant, level, definition.policyName(), policyId, updated.requiresApproval());
        }
        apply(new ThrottlePolicyUpdated(policyId, tenant, level, updated));
        return updated;
    }

    @CommandHandler
    public void handle(DeleteThrottlePolicy command, ThrottlePolicyRegistry registry, ThrottlePolicyUsage usage) {
        requireAddressed(command.tenant(), command.level());
        if (UNLIMITED.equalsIgnoreCase(definition.policyName())) {
            throw DomainException.of(DomainError.POLICY_IN_USE, "The %s policy '%s' cannot be deleted",
                    level.name().toLowerCase(java.util.Locale.ROOT), UNLIMITED);
        }
        List<String> users = usage.usersOf(tenant, level, definition.policyName());
        if (!users.isEmpty()) {
            throw DomainException.of(DomainError.POLICY_IN_USE, "Policy '%s' is in use by %s and cannot be deleted",
                    definition.policyName(), String.join(", ", users));
        }
        registry.release(tenant, level, definition.policyName(), policyId);
        apply(new ThrottlePolicyDeleted(policyId, tenant, level, definition.policyName()));
    }

    // ---- event-sourcing handlers: assignment only ----

    @EventSourcingHandler
    void on(ThrottlePolicyCreated event) {
        policyId = event.policyId();
        tenant = event.tenant();
        level = event.level();
        definition = event.definition();
    }

    @EventSourcingHandler
    void on(ThrottlePolicyUpdated event) {
        definition = event.definition();
    }

    @EventSourcingHandler
    void on(ThrottlePolicyDeleted event) {
        markDeleted();
    }

    // ---- rules ----

    /** A policy addressed under another tenant or level does not exist for the caller. */
    private void requireAddressed(String tenant, Level level) {
        if (!this.tenant.equals(tenant) || this.level != level) {
            throw DomainException.of(DomainError.POLICY_NOT_FOUND, "Policy %s not found", policyId);
        }
    }

    private static ThrottlePolicyDefinition definitionOf(ThrottlePolicyDefinition definition) {
        if (definition == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The policy definition is required");
        }
        return definition;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
    }
}
