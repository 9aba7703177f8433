package dev.apim.domain.api.event;

import dev.apim.domain.api.RevisionDeployment;

import java.util.List;

/** A revision now serves on the listed gateway environments. */
public record ApiRevisionDeployed(String apiId, String revisionId, int revisionNumber, List<RevisionDeployment> deployments) {}
