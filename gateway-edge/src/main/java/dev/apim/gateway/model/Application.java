package dev.apim.gateway.model;

/** An application: {@code policy} is its application-level throttling policy name. */
public record Application(String applicationId, String tenant, String name, String owner, String policy) {}
