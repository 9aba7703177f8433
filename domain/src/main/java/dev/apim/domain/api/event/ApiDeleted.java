package dev.apim.domain.api.event;

/** An API was deleted; its context and version are free again. */
public record ApiDeleted(String apiId, String tenant, String context, String version) {}
