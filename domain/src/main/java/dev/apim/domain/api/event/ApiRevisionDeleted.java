package dev.apim.domain.api.event;

/** A revision was deleted. */
public record ApiRevisionDeleted(String apiId, String revisionId, int revisionNumber) {}
