package dev.apim.domain.api.command;

import dev.apim.domain.api.*;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Moves the API through WSO2's lifecycle by one action. */
public record ChangeApiLifecycle(@TargetAggregateIdentifier String apiId, @TargetAggregateVersion Long expectedVersion, LifecycleAction action) {}
