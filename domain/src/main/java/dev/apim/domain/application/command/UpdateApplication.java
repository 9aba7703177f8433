package dev.apim.domain.application.command;

import dev.apim.domain.application.ApplicationDetails;
import dev.apim.domain.application.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Replaces an application's details; a new name is claimed for the owner, the old one released. */
public record UpdateApplication(@TargetAggregateIdentifier String applicationId,
                                @TargetAggregateVersion Long expectedVersion, Requester requester,
                                ApplicationDetails details) {}
