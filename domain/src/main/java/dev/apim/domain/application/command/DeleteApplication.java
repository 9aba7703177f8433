package dev.apim.domain.application.command;

import dev.apim.domain.application.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Deletes an application and releases its name. */
public record DeleteApplication(@TargetAggregateIdentifier String applicationId,
                                @TargetAggregateVersion Long expectedVersion, Requester requester) {}
