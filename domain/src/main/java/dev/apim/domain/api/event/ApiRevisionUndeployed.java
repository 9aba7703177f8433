package dev.apim.domain.api.event;

import java.util.List;

/** A revision no longer serves on the listed gateway environments. */
public record ApiRevisionUndeployed(String apiId, String revisionId, int revisionNumber, List<String> environments) {}
