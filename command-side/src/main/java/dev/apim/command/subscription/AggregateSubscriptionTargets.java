package dev.apim.command.subscription;

import dev.apim.domain.api.Api;
import dev.apim.domain.application.Application;
import dev.apim.domain.subscription.SubscriptionTargets;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.ObjectProvider;

import java.util.Optional;
import java.util.function.Function;

/**
 * Answers {@link SubscriptionTargets} from the {@code Api} and {@code Application} aggregates themselves, loaded
 * through Axon's repositories inside the command's unit of work, so the answer is consistent with the event store
 * (never a lagging read model). A missing or deleted aggregate, or an id whose stream belongs to another aggregate
 * type, is simply absent.
 */
public class AggregateSubscriptionTargets implements SubscriptionTargets {

    private final ObjectProvider<Configuration> axon;

    public AggregateSubscriptionTargets(ObjectProvider<Configuration> axon) {
        this.axon = axon;
    }

    @Override
    public Optional<ApiFacts> api(String apiId) {
        return read(Api.class, apiId, api -> api.tenant() == null || api.state() == null ? null
                : new ApiFacts(apiId, api.tenant(), api.state(), api.tiers()));
    }

    @Override
    public Optional<ApplicationFacts> application(String applicationId) {
        return read(Application.class, applicationId, app -> app.tenant() == null || app.owner() == null ? null
                : new ApplicationFacts(applicationId, app.tenant(), app.owner()));
    }

    private <A, R> Optional<R> read(Class<A> type, String id, Function<A, R> facts) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        Repository<A> repository = axon.getObject().repository(type);
        try {
            return Optional.ofNullable(repository.load(id).invoke(facts));
        } catch (AggregateNotFoundException | IncompatibleAggregateException e) {
            return Optional.empty();
        }
    }
}
