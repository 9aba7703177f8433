package dev.apim.domain.application.event;

/** An application was deleted; its name is free again for its owner. */
public record ApplicationDeleted(String applicationId, String tenant, String owner, String name) {}
