package dev.apim.gateway.state;

import dev.apim.domain.keys.KeyType;
import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.BlockCondition;
import dev.apim.gateway.model.KeyMapping;
import dev.apim.gateway.model.Policy;
import dev.apim.gateway.model.Subscription;
import dev.apim.platform.broadcast.InternalData;

import java.time.Duration;

/** From the internal endpoints' wire shapes ({@code platform.broadcast.InternalData}) to the gateway's model. */
final class WireMapping {

    private WireMapping() {}

    static Api api(InternalData.ApiItem a) {
        return new Api(a.apiId(), a.tenant(), a.name(), a.context(), a.version(), a.defaultVersion(),
                a.lifecycleStatus(), a.revisionId(), a.apiPolicy(), a.productionUrl(), a.sandboxUrl(),
                a.resources() == null ? null : a.resources().stream()
                        .map(r -> new Api.Resource(r.verb(), r.uriTemplate(), r.secured(), r.policy(), r.scopes()))
                        .toList());
    }

    static Application application(InternalData.ApplicationItem a) {
        return new Application(a.applicationId(), a.tenant(), a.name(), a.owner(), a.policy());
    }

    static Subscription subscription(InternalData.SubscriptionItem s) {
        return new Subscription(s.subscriptionId(), s.apiId(), s.applicationId(), s.tenant(), s.policy(), s.status());
    }

    static KeyMapping keyMapping(InternalData.KeyMappingItem k) {
        return new KeyMapping(k.consumerKey(), k.applicationId(), k.tenant(), KeyType.valueOf(k.keyType()), k.active());
    }

    static Policy policy(InternalData.PolicyItem p) {
        return new Policy(Policy.Level.valueOf(p.level()), p.tenant(), p.name(), limit(p.defaultLimit()),
                limit(p.burst()), p.stopOnQuotaReach(), p.conditionalGroups() == null ? null
                : p.conditionalGroups().stream()
                        .map(g -> new Policy.ConditionalGroup(g.description(), g.conditions(), limit(g.limit())))
                        .toList());
    }

    static Policy.Limit limit(InternalData.LimitItem l) {
        return l == null ? null : new Policy.Limit(Policy.Limit.Type.valueOf(l.type()), l.amount(),
                Duration.ofMillis(l.windowMillis()));
    }

    static BlockCondition blockCondition(InternalData.BlockConditionItem b) {
        return new BlockCondition(b.conditionId(), b.tenant(), b.type(), b.value(), b.invert());
    }
}
