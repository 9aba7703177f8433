package dev.apim.domain.api.event;

import dev.apim.domain.api.*;

import java.util.List;

/** A revision was deleted. */
public record ApiRevisionDeleted(String apiId, String revisionId, int revisionNumber) {}
