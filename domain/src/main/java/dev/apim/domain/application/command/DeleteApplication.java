package dev.apim.domain.application.command;

import dev.apim.domain.application.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Deletes an application and releases its name; the expected version is checked after the
 * access rule, as for {@link UpdateApplication}.
 */
public record DeleteApplication(@TargetAggregateIdentifier String applicationId,
                                Long expectedVersion, Requester requester) {}
