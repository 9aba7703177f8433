package dev.apim.domain.application.command;

import dev.apim.domain.application.ApplicationDetails;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates an application owned by {@code owner}; its name is claimed for the owner within the tenant. */
public record CreateApplication(@TargetAggregateIdentifier String applicationId, String tenant, String owner,
                                ApplicationDetails details) {}
