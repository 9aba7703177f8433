package dev.apim.domain.subscription;

import dev.apim.domain.api.ApiLifecycleState;

import java.util.List;
import java.util.Optional;

/**
 * Port: what a subscription needs to know, at the moment of the command, about the API and the application
 * it joins. The command side answers from the aggregates' event streams (not from a lagging read model).
 */
public interface SubscriptionTargets {

    Optional<ApiFacts> api(String apiId);

    Optional<ApplicationFacts> application(String applicationId);

    /** The API's tenant, lifecycle state and the subscription tiers it offers. */
    record ApiFacts(String apiId, String tenant, ApiLifecycleState state, List<String> tiers) {
        public ApiFacts {
            tiers = tiers == null ? List.of() : List.copyOf(tiers);
        }
    }

    /** The application's tenant and owner. */
    record ApplicationFacts(String applicationId, String tenant, String owner) {}
}
