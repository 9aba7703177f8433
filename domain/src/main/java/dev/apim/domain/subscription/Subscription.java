package dev.apim.domain.subscription;

import dev.apim.domain.common.Requester;
import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog;
import dev.apim.domain.subscription.command.ApproveSubscription;
import dev.apim.domain.subscription.command.BlockSubscription;
import dev.apim.domain.subscription.command.ChangeSubscriptionTier;
import dev.apim.domain.subscription.command.CreateSubscription;
import dev.apim.domain.subscription.command.DeleteSubscription;
import dev.apim.domain.subscription.command.RejectSubscription;
import dev.apim.domain.subscription.command.UnblockSubscription;
import dev.apim.domain.subscription.event.SubscriptionApproved;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.event.SubscriptionRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRequested;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.domain.subscription.event.SubscriptionUnblocked;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * An application's subscription to an API with a tier (WSO2's subscription). Only PUBLISHED or PROTOTYPED
 * APIs, only tiers the API offers, one per API and application; a tier that requires approval (or a tenant
 * that requires approval for all subscriptions) puts it ON_HOLD until its workflow completes. The publisher blocks and unblocks; the subscriber changes tier.
 */
public class Subscription {

    private static final Set<ApiLifecycleState> SUBSCRIBABLE = Set.of(ApiLifecycleState.PUBLISHED,
            ApiLifecycleState.PROTOTYPED);

    @AggregateIdentifier
    private String subscriptionId;
    private String tenant;
    private String apiId;
    private String applicationId;
    private String owner;
    private String tier;
    private SubscriptionStatus status;
    /** The status to return to when a pending tier change is decided. */
    private SubscriptionStatus statusBeforeTierChange;
    private String pendingTier;

    protected Subscription() {
    }

    @CommandHandler
    public Subscription(CreateSubscription command, SubscriptionTargets targets, ThrottlePolicyCatalog policies,
                        SubscriptionRegistry registry, TenantWorkflowSettings settings) {
        require(command.subscriptionId(), "subscriptionId");
        require(command.tenant(), "tenant");
        require(command.apiId(), "apiId");
        require(command.applicationId(), "applicationId");
        Requester requester = requester(command.requester());
        SubscriptionTargets.ApplicationFacts application = targets.application(command.applicationId())
                .filter(a -> a.tenant().equals(command.tenant()) && requester.mayActFor(a.owner()))
                .orElseThrow(() -> DomainException.of(DomainError.APPLICATION_NOT_FOUND,
                        "Application %s not found", command.applicationId()));
        SubscriptionTargets.ApiFacts api = targets.api(command.apiId())
                .filter(a -> a.tenant().equals(command.tenant()))
                .orElseThrow(() -> DomainException.of(DomainError.API_NOT_FOUND,
                        "Requested API with id '%s' not found", command.apiId()));
        if (!SUBSCRIBABLE.contains(api.state())) {
            throw DomainException.of(DomainError.SUBSCRIPTION_API_NOT_AVAILABLE,
                    "API %s is %s; only PUBLISHED or PROTOTYPED APIs can be subscribed to", api.apiId(), api.state());
        }
        ThrottlePolicyCatalog.PolicyRef policy = offeredTier(api, command.throttlingPolicy(), policies);
        registry.claim(command.tenant(), command.apiId(), command.applicationId(), command.subscriptionId());
        boolean approval = policy.requiresApproval() || settings.subscriptionApprovalRequired(command.tenant());
        SubscriptionStatus initial = approval ? SubscriptionStatus.ON_HOLD : SubscriptionStatus.UNBLOCKED;
        apply(new SubscriptionCreated(command.subscriptionId(), command.tenant(), command.apiId(), application.applicationId(),
                policy.name(), initial, application.owner()));
    }

    @CommandHandler
    public void handle(ApproveSubscription command) {
        if (status == SubscriptionStatus.ON_HOLD) {
            apply(new SubscriptionApproved(subscriptionId, apiId, applicationId));
        } else if (status == SubscriptionStatus.TIER_UPDATE_PENDING) {
            apply(new SubscriptionTierChanged(subscriptionId, apiId, applicationId, pendingTier));
        } else {
            throw DomainException.of(DomainError.SUBSCRIPTION_STATE_INVALID,
                    "Subscription %s is %s; nothing waits for approval", subscriptionId, status);
        }
    }

    /** A rejected subscription no longer holds its API and application pair: the application may try again. */
    @CommandHandler
    public void handle(RejectSubscription command, SubscriptionRegistry registry) {
        if (status == SubscriptionStatus.ON_HOLD) {
            registry.release(tenant, apiId, applicationId, subscriptionId);
            apply(new SubscriptionRejected(subscriptionId, apiId, applicationId, command.reason()));
        } else if (status == SubscriptionStatus.TIER_UPDATE_PENDING) {
            apply(new SubscriptionTierChangeRejected(subscriptionId, apiId, applicationId, pendingTier));
        } else {
            throw DomainException.of(DomainError.SUBSCRIPTION_STATE_INVALID,
                    "Subscription %s is %s; nothing waits for approval", subscriptionId, status);
        }
    }

    @CommandHandler
    public void handle(BlockSubscription command) {
        SubscriptionStatus target = command.productionOnly() ? SubscriptionStatus.PROD_ONLY_BLOCKED
                : SubscriptionStatus.BLOCKED;
        if (status == target) {
            return;
        }
        if (status != SubscriptionStatus.UNBLOCKED && status != SubscriptionStatus.BLOCKED
                && status != SubscriptionStatus.PROD_ONLY_BLOCKED) {
            throw DomainException.of(DomainError.SUBSCRIPTION_STATE_INVALID,
                    "Subscription %s is %s and cannot be blocked", subscriptionId, status);
        }
        apply(new SubscriptionBlocked(subscriptionId, tenant, apiId, applicationId, command.productionOnly()));
    }

    @CommandHandler
    public void handle(UnblockSubscription command) {
        if (status == SubscriptionStatus.UNBLOCKED) {
            return;
        }
        if (status != SubscriptionStatus.BLOCKED && status != SubscriptionStatus.PROD_ONLY_BLOCKED) {
            throw DomainException.of(DomainError.SUBSCRIPTION_STATE_INVALID,
                    "Subscription %s is %s and cannot be unblocked", subscriptionId, status);
        }
        apply(new SubscriptionUnblocked(subscriptionId, apiId, applicationId));
    }

    @CommandHandler
    public void handle(ChangeSubscriptionTier command, SubscriptionTargets targets, ThrottlePolicyCatalog policies,
                       TenantWorkflowSettings settings) {
        Requester requester = requester(command.requester());
        if (!requester.mayActFor(owner)) {
            throw DomainException.of(DomainError.SUBSCRIPTION_NOT_FOUND, "Subscription %s not found", subscriptionId);
        }
        if (status != SubscriptionStatus.UNBLOCKED && status != SubscriptionStatus.PROD_ONLY_BLOCKED) {
            throw DomainException.of(DomainError.SUBSCRIPTION_STATE_INVALID,
                    "Subscription %s is %s; its tier cannot change now", subscriptionId, status);
        }
        SubscriptionTargets.ApiFacts api = targets.api(apiId).orElseThrow(() -> DomainException.of(
                DomainError.API_NOT_FOUND, "Requested API with id '%s' not found", apiId));
        if (!SUBSCRIBABLE.contains(api.state())) {
            throw DomainException.of(DomainError.SUBSCRIPTION_API_NOT_AVAILABLE,
                    "API %s is %s; tiers can change only while it is PUBLISHED or PROTOTYPED", apiId, api.state());
        }
        ThrottlePolicyCatalog.PolicyRef policy = offeredTier(api, command.throttlingPolicy(), policies);
        if (policy.name().equalsIgnoreCase(tier)) {
            return;
        }
        if (policy.requiresApproval() || settings.subscriptionApprovalRequired(tenant)) {
            apply(new SubscriptionTierChangeRequested(subscriptionId, tenant, apiId, applicationId, policy.name()));
        } else {
            apply(new SubscriptionTierChanged(subscriptionId, apiId, applicationId, policy.name()));
        }
    }

    /** Deleting releases the pair (a rejected subscription released it already; releasing again does nothing). */
    @CommandHandler
    public void handle(DeleteSubscription command, SubscriptionRegistry registry) {
        if (!requester(command.requester()).mayActFor(owner)) {
            throw DomainException.of(DomainError.SUBSCRIPTION_NOT_FOUND, "Subscription %s not found", subscriptionId);
        }
        registry.release(tenant, apiId, applicationId, subscriptionId);
        apply(new SubscriptionDeleted(subscriptionId, tenant, apiId, applicationId));
    }

    // ---- event-sourcing handlers: assignment only ----

    @EventSourcingHandler
    void on(SubscriptionCreated event) {
        subscriptionId = event.subscriptionId();
        tenant = event.tenant();
        apiId = event.apiId();
        applicationId = event.applicationId();
        owner = event.subscriber();
        tier = event.throttlingPolicy();
        status = event.status();
    }

    @EventSourcingHandler
    void on(SubscriptionApproved event) {
        status = SubscriptionStatus.UNBLOCKED;
    }

    @EventSourcingHandler
    void on(SubscriptionRejected event) {
        status = SubscriptionStatus.REJECTED;
    }

    @EventSourcingHandler
    void on(SubscriptionBlocked event) {
        status = event.productionOnly() ? SubscriptionStatus.PROD_ONLY_BLOCKED : SubscriptionStatus.BLOCKED;
    }

    @EventSourcingHandler
    void on(SubscriptionUnblocked event) {
        status = SubscriptionStatus.UNBLOCKED;
    }

    @EventSourcingHandler
    void on(SubscriptionTierChangeRequested event) {
        statusBeforeTierChange = status;
        pendingTier = event.requestedTier();
        status = SubscriptionStatus.TIER_UPDATE_PENDING;
    }

    @EventSourcingHandler
    void on(SubscriptionTierChanged event) {
        tier = event.throttlingPolicy();
        if (status == SubscriptionStatus.TIER_UPDATE_PENDING) {
            status = statusBeforeTierChange;
        }
        pendingTier = null;
    }

    @EventSourcingHandler
    void on(SubscriptionTierChangeRejected event) {
        status = statusBeforeTierChange;
        pendingTier = null;
    }

    @EventSourcingHandler
    void on(SubscriptionDeleted event) {
        markDeleted();
    }

    // ---- rules ----

    private static ThrottlePolicyCatalog.PolicyRef offeredTier(SubscriptionTargets.ApiFacts api, String requested,
                                                               ThrottlePolicyCatalog policies) {
        require(requested, "throttlingPolicy");
        String offered = api.tiers().stream().filter(t -> t.equalsIgnoreCase(requested.trim())).findFirst()
                .orElseThrow(() -> DomainException.of(DomainError.TIER_NAME_INVALID,
                        "Tier '%s' is not offered by API %s; it offers %s", requested, api.apiId(), api.tiers()));
        return policies.find(api.tenant(), ThrottlePolicyCatalog.Level.SUBSCRIPTION, offered)
                .orElseThrow(() -> DomainException.of(DomainError.POLICY_NOT_FOUND,
                        "Subscription policy '%s' does not exist", offered));
    }

    private static Requester requester(Requester requester) {
        if (requester == null || requester.username() == null || requester.username().isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "The requesting user is required");
        }
        return requester;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
    }
}
