package dev.apim.domain.application.command;

import dev.apim.domain.application.ApplicationDetails;
import dev.apim.domain.application.Requester;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces an application's details; a new name is claimed for the owner, the old one released. The
 * expected version ({@code If-Match}) is checked by the aggregate after the access rule, so a stranger's
 * stale ETag cannot reveal that the application exists.
 */
public record UpdateApplication(@TargetAggregateIdentifier String applicationId,
                                Long expectedVersion, Requester requester,
                                ApplicationDetails details) {}
