package dev.apim.query.broadcast;

import dev.apim.domain.api.RevisionDeployment;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.api.event.ApiDeleted;
import dev.apim.domain.api.event.ApiLifecycleChanged;
import dev.apim.domain.api.event.ApiRevisionDeployed;
import dev.apim.domain.api.event.ApiRevisionUndeployed;
import dev.apim.domain.api.event.ApiUpdated;
import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.application.event.ApplicationDeleted;
import dev.apim.domain.application.event.ApplicationUpdated;
import dev.apim.domain.blockcondition.event.BlockConditionCreated;
import dev.apim.domain.blockcondition.event.BlockConditionDeleted;
import dev.apim.domain.blockcondition.event.BlockConditionStatusChanged;
import dev.apim.domain.keys.event.AccessTokenRevoked;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRemoved;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.ApplicationKeysUpdated;
import dev.apim.domain.keys.event.TokensRevokedIssuedBefore;
import dev.apim.domain.policy.event.ThrottlePolicyCreated;
import dev.apim.domain.policy.event.ThrottlePolicyDeleted;
import dev.apim.domain.policy.event.ThrottlePolicyUpdated;
import dev.apim.domain.subscription.event.SubscriptionApproved;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.event.SubscriptionRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRequested;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.domain.subscription.event.SubscriptionUnblocked;
import dev.apim.platform.broadcast.BroadcastNotification;
import dev.apim.platform.broadcast.NotificationType;

import java.util.Map;
import java.util.stream.Collectors;

import static dev.apim.platform.broadcast.NotificationType.*;

/**
 * Which notification a domain event becomes (null: none, the gateway does not care, e.g. documents, secrets,
 * management OAuth clients). The tenant comes from the event when it has one, else from its metadata.
 */
final class Notifications {

    private Notifications() {}

    static BroadcastNotification of(long index, String metadataTenant, Object event) {
        if (event instanceof ApiCreated e) {
            return n(index, API_UPDATE, e.tenant(), e.apiId());
        }
        if (event instanceof ApiUpdated e) {
            return n(index, API_UPDATE, metadataTenant, e.apiId());
        }
        if (event instanceof ApiLifecycleChanged e) {
            return n(index, API_LIFECYCLE_CHANGE, metadataTenant, e.apiId(),
                Map.of("status", e.newState().name()));
        }
        if (event instanceof ApiDeleted e) {
            return n(index, API_DELETE, e.tenant(), e.apiId());
        }
        if (event instanceof ApiRevisionDeployed e) {
            return n(index, DEPLOY_API_IN_GATEWAY, metadataTenant, e.apiId(),
                Map.of("revisionId", e.revisionId(), "environments", e.deployments().stream()
                        .map(RevisionDeployment::environment).collect(Collectors.joining(","))));
        }
        if (event instanceof ApiRevisionUndeployed e) {
            return n(index, REMOVE_API_FROM_GATEWAY, metadataTenant, e.apiId(),
                Map.of("revisionId", e.revisionId(), "environments", String.join(",", e.environments())));
        }
        if (event instanceof ApplicationCreated e) {
            return n(index, APPLICATION_CREATE, e.tenant(), e.applicationId());
        }
        if (event instanceof ApplicationUpdated e) {
            return n(index, APPLICATION_UPDATE, e.tenant(), e.applicationId());
        }
        if (event instanceof ApplicationDeleted e) {
            return n(index, APPLICATION_DELETE, e.tenant(), e.applicationId());
        }
        if (event instanceof SubscriptionCreated e) {
            return sub(index, SUBSCRIPTIONS_CREATE, e.tenant(), e.subscriptionId(), e.apiId(),
                e.applicationId());
        }
        if (event instanceof SubscriptionApproved e) {
            return sub(index, SUBSCRIPTIONS_UPDATE, metadataTenant, e.subscriptionId(),
                e.apiId(), e.applicationId());
        }
        if (event instanceof SubscriptionBlocked e) {
            return sub(index, SUBSCRIPTIONS_UPDATE, e.tenant(), e.subscriptionId(),
                e.apiId(), e.applicationId());
        }
        if (event instanceof SubscriptionUnblocked e) {
            return sub(index, SUBSCRIPTIONS_UPDATE, metadataTenant, e.subscriptionId(),
                e.apiId(), e.applicationId());
        }
        if (event instanceof SubscriptionRejected e) {
            return sub(index, SUBSCRIPTIONS_UPDATE, metadataTenant, e.subscriptionId(),
                e.apiId(), e.applicationId());
        }
        if (event instanceof SubscriptionTierChangeRequested e) {
            return sub(index, SUBSCRIPTIONS_UPDATE, e.tenant(), e.subscriptionId(),
                e.apiId(), e.applicationId());
        }
        if (event instanceof SubscriptionTierChanged e) {
            return sub(index, SUBSCRIPTIONS_UPDATE, metadataTenant, e.subscriptionId(),
                e.apiId(), e.applicationId());
        }
        if (event instanceof SubscriptionTierChangeRejected e) {
            return sub(index, SUBSCRIPTIONS_UPDATE, metadataTenant,
                e.subscriptionId(), e.apiId(), e.applicationId());
        }
        if (event instanceof SubscriptionDeleted e) {
            return sub(index, SUBSCRIPTIONS_DELETE, e.tenant(), e.subscriptionId(), e.apiId(),
                e.applicationId());
        }
        if (event instanceof ApplicationKeysGenerated e) {
            return n(index, APPLICATION_REGISTRATION_CREATE, e.tenant(), e.consumerKey(),
                Map.of("applicationId", e.applicationId(), "keyType", e.keyType().name()));
        }
        if (event instanceof ApplicationKeysUpdated e) {
            return n(index, APPLICATION_REGISTRATION_UPDATE, metadataTenant,
                e.consumerKey());
        }
        if (event instanceof ApplicationKeysRevoked e) {
            return n(index, APPLICATION_REGISTRATION_UPDATE, metadataTenant,
                e.consumerKey(), Map.of("applicationId", e.applicationId()));
        }
        if (event instanceof ApplicationKeysRemoved e) {
            return n(index, APPLICATION_REGISTRATION_DELETE, metadataTenant,
                e.consumerKey(), Map.of("applicationId", e.applicationId()));
        }
        if (event instanceof ThrottlePolicyCreated e) {
            return n(index, POLICY_CREATE, e.tenant(), e.policyId(),
                Map.of("level", e.level().name(), "name", e.definition().policyName()));
        }
        if (event instanceof ThrottlePolicyUpdated e) {
            return n(index, POLICY_UPDATE, e.tenant(), e.policyId(),
                Map.of("level", e.level().name(), "name", e.definition().policyName()));
        }
        if (event instanceof ThrottlePolicyDeleted e) {
            return n(index, POLICY_DELETE, e.tenant(), e.policyId(),
                Map.of("level", e.level().name(), "name", e.policyName()));
        }
        if (event instanceof BlockConditionCreated e) {
            return n(index, BLOCK_CONDITION_ADD, e.tenant(), e.conditionId(),
                Map.of("conditionType", e.conditionType().name()));
        }
        if (event instanceof BlockConditionStatusChanged e) {
            return n(index, BLOCK_CONDITION_UPDATE, e.tenant(), e.conditionId(),
                Map.of("conditionType", e.conditionType().name(), "enabled", Boolean.toString(e.enabled())));
        }
        if (event instanceof BlockConditionDeleted e) {
            return n(index, BLOCK_CONDITION_DELETE, e.tenant(), e.conditionId(),
                Map.of("conditionType", e.conditionType().name()));
        }
        if (event instanceof AccessTokenRevoked e) {
            return n(index, TOKEN_REVOCATION, e.tenant(), e.jti(),
                Map.of("consumerKey", e.consumerKey(), "expiresAt", e.expiresAt().toString()));
        }
        if (event instanceof TokensRevokedIssuedBefore e) {
            return n(index, TOKEN_REVOCATION_CUTOFF, e.tenant(), e.consumerKey(),
                Map.of("issuedBefore", e.issuedBefore().toString()));
        }
        return null;
    }

    private static BroadcastNotification sub(long index, NotificationType type, String tenant, String id,
                                             String apiId, String applicationId) {
        return n(index, type, tenant, id, Map.of("apiId", apiId, "applicationId", applicationId));
    }

    private static BroadcastNotification n(long index, NotificationType type, String tenant, String id) {
        return n(index, type, tenant, id, Map.of());
    }

    private static BroadcastNotification n(long index, NotificationType type, String tenant, String id,
                                           Map<String, String> data) {
        return BroadcastNotification.of(index, type, tenant, id, data);
    }
}
