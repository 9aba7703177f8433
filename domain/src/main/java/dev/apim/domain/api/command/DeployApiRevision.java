package dev.apim.domain.api.command;

import dev.apim.domain.api.RevisionDeployment;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Deploys a revision to named gateway environments, replacing what each environment served. */
public record DeployApiRevision(@TargetAggregateIdentifier String apiId, String revisionId, List<RevisionDeployment> deployments) {}
