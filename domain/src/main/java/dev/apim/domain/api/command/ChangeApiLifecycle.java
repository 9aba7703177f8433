package dev.apim.domain.api.command;

import dev.apim.domain.api.LifecycleAction;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Moves the API through WSO2's lifecycle by one action. */
public record ChangeApiLifecycle(@TargetAggregateIdentifier String apiId, @TargetAggregateVersion Long expectedVersion, LifecycleAction action) {}
